//! Authentication: argon2id password hashes, signed JWTs, and the session of one request.

pub mod authenticator;
pub mod jwt;
pub mod password;
pub mod session;

pub use authenticator::{Authenticator, ClientAddress};
pub use jwt::{JwtConfig, JwtKeys};
pub use session::Session;
