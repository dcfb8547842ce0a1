//! GraphiQL, served from the binary: its page and its production builds of React, ReactDOM and
//! GraphiQL (`assets/graphiql/`, with their licences). Government networks often have no
//! internet, where a page that loads its scripts from a CDN stays blank; this one needs nothing
//! but the service.

use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};

/// The page at `GET /graphql`.
pub async fn page() -> Html<&'static str> {
    Html(include_str!("../assets/graphiql/index.html"))
}

/// `GET /graphiql/{file}`: one of the page's assets, cached by browsers for a day (the files
/// change only with the binary).
pub async fn asset(Path(file): Path<String>) -> Response {
    let (body, content_type): (&'static [u8], &str) = match file.as_str() {
        "graphiql.min.js" => (include_bytes!("../assets/graphiql/graphiql.min.js"), "text/javascript; charset=utf-8"),
        "graphiql.min.css" => (include_bytes!("../assets/graphiql/graphiql.min.css"), "text/css; charset=utf-8"),
        "react.production.min.js" => {
            (include_bytes!("../assets/graphiql/react.production.min.js"), "text/javascript; charset=utf-8")
        }
        "react-dom.production.min.js" => {
            (include_bytes!("../assets/graphiql/react-dom.production.min.js"), "text/javascript; charset=utf-8")
        }
        "LICENSES.txt" => (include_bytes!("../assets/graphiql/LICENSES.txt"), "text/plain; charset=utf-8"),
        _ => return StatusCode::NOT_FOUND.into_response(),
    };
    ([(header::CONTENT_TYPE, content_type), (header::CACHE_CONTROL, "public, max-age=86400")], body).into_response()
}
