//! A POST's body read into its GraphQL request: the media types taken, an upload only with a
//! token, one operation (a batch is read only to be refused), and the refusals that say why a
//! body cannot be run.

use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;

use super::{AppState, refusal};
use crate::graphql::form_lane;
use crate::graphql::guard::clip;
use crate::lang::say;

/// The media types a GraphQL request may be sent as. Anything else (including no Content-Type,
/// and look-alikes such as `text/plain; x=application/json`, which browsers send cross-site
/// without asking first) is refused, so a page on another site cannot post to the API.
const ACCEPTED_MEDIA_TYPES: [&str; 2] = ["application/json", "application/graphql-response+json"];

fn is_accepted_media_type(content_type: Option<&str>) -> bool {
    let Some(value) = content_type else { return false };
    let essence = value.split(';').next().unwrap_or("").trim();
    ACCEPTED_MEDIA_TYPES.iter().any(|accepted| essence.eq_ignore_ascii_case(accepted))
}

/// A file upload (`importDeclaration`) comes as `multipart/form-data`, the GraphQL multipart
/// request convention. Browsers send such forms cross-site without asking first, so one is only
/// taken with a bearer token: a page on another site cannot add that header without the
/// preflight that CORS refuses it.
fn is_upload(content_type: Option<&str>, headers: &HeaderMap) -> bool {
    let essence = content_type.and_then(|v| v.split(';').next()).unwrap_or("").trim();
    essence.eq_ignore_ascii_case("multipart/form-data") && headers.contains_key(header::AUTHORIZATION)
}

/// The one operation of a JSON body, or of a multipart upload (its file held in memory: the body
/// was already bounded by `max_body_bytes`).
async fn parse_request(
    content_type: &str,
    upload: bool,
    body: &Bytes,
    max_body: usize,
) -> Result<async_graphql::BatchRequest, String> {
    if upload {
        let options = async_graphql::http::MultipartOptions::default().max_num_files(1).max_file_size(max_body);
        async_graphql::http::receive_batch_body(Some(content_type), &body[..], options).await.map_err(|e| e.to_string())
    } else if body.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'[') {
        // A batch (refused by the caller): read as one only to say so.
        serde_json::from_slice::<async_graphql::BatchRequest>(body).map_err(|e| e.to_string())
    } else {
        // One operation, read straight into its request: read as a `BatchRequest` (an untagged
        // enum), the whole body would first be copied into serde's buffer and then read again.
        serde_json::from_slice::<async_graphql::Request>(body)
            .map(async_graphql::BatchRequest::Single)
            .map_err(|e| e.to_string())
    }
}

/// A POST's request, read from its body.
pub(super) struct Posted {
    pub(super) request: async_graphql::Request,
    /// A JSON body's bytes go along (shared, not copied): a read run again reads its variables
    /// from them rather than every read copying its variables up front (`schema::VariablesAgain`).
    pub(super) json_body: Option<Bytes>,
    /// Whether the form lane read it (`form_lane.rs`).
    pub(super) checked_here: bool,
}

/// Reads a POST's body into its request, or the refusal that says why it cannot be read.
pub(super) async fn read_post(
    state: &AppState,
    headers: &HeaderMap,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<Posted, Response> {
    let body = match body {
        Ok(b) => b,
        Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            let max = state.limits.max_body_bytes;
            let msg = say(format!("请求正文超过 {max} 字节"), format!("the request body is larger than {max} bytes"));
            return Err(refusal(StatusCode::PAYLOAD_TOO_LARGE, "PAYLOAD_TOO_LARGE", &msg));
        }
        Err(_) => {
            let msg = say("无法读取请求正文", "the request body could not be read");
            return Err(refusal(StatusCode::BAD_REQUEST, "BAD_USER_INPUT", &msg));
        }
    };
    let content_type = headers.get(header::CONTENT_TYPE).map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
    let upload = is_upload(content_type.as_deref(), headers);
    if !upload && !is_accepted_media_type(content_type.as_deref()) {
        let msg = match content_type {
            Some(given) if given.trim_start().to_ascii_lowercase().starts_with("multipart/form-data") => say(
                "上传文件（multipart/form-data）须在 Authorization 请求头中附带令牌",
                "uploads (multipart/form-data) must carry a token in the Authorization header",
            ),
            Some(given) => {
                let given = clip(&given, 80);
                say(
                    format!("GraphQL 请求须以 application/json 发送，而不是 {given}"),
                    format!("send GraphQL requests as application/json, not {given}"),
                )
            }
            None => say(
                "GraphQL 请求须以 application/json 发送（缺少 Content-Type 请求头）",
                "send GraphQL requests as application/json (the Content-Type header is missing)",
            ),
        };
        return Err(refusal(StatusCode::UNSUPPORTED_MEDIA_TYPE, "UNSUPPORTED_MEDIA_TYPE", &msg));
    }
    // A form checked as the user types is read straight into its input (`form_lane.rs`).
    let on_lane = (!upload).then(|| form_lane::request(&state.documents, &body)).flatten();
    let checked_here = on_lane.is_some();
    let parsed = match on_lane {
        Some(request) => Ok(async_graphql::BatchRequest::Single(request)),
        None => parse_request(content_type.as_deref().unwrap_or(""), upload, &body, state.limits.max_body_bytes).await,
    };
    let request = match parsed {
        Ok(async_graphql::BatchRequest::Single(r)) => r,
        Ok(async_graphql::BatchRequest::Batch(_)) => {
            let msg = say(
                "不接受批量请求（JSON 数组）：每个请求只发送一个操作",
                "batched requests (a JSON array) are not accepted: send one operation per request",
            );
            return Err(refusal(StatusCode::BAD_REQUEST, "BATCH_NOT_SUPPORTED", &msg));
        }
        Err(e) => {
            let detail = clip(&e, 200);
            let msg = if upload {
                say(
                    format!(
                        "上传请求不符合 GraphQL multipart 请求约定（{detail}）：须有 operations、map 两部分和一个文件"
                    ),
                    format!(
                        "the upload does not follow the GraphQL multipart request convention ({detail}): send operations, map and one file"
                    ),
                )
            } else {
                say(
                    format!(
                        "请求正文不是 JSON 格式的 GraphQL 请求（{detail}）：请发送 {{\"query\": \"…\", \"variables\": {{…}}}}"
                    ),
                    format!(
                        "the body is not a GraphQL request in JSON ({detail}): send {{\"query\": \"…\", \"variables\": {{…}}}}"
                    ),
                )
            };
            return Err(refusal(StatusCode::BAD_REQUEST, "BAD_USER_INPUT", &msg));
        }
    };
    let json_body = (!upload).then_some(body);
    Ok(Posted { request, json_body, checked_here })
}
