pub mod entity; pub mod error; pub mod record;
