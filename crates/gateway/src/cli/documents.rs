//! `jixiao documents add FILE`: loads a manifest of trusted documents, the JSON object of id →
//! document that the GraphQL Code Generator's client preset writes (`persisted-documents.json`)
//! with `persistedDocuments: true`. Every document must parse and pass the request guard's
//! limits; one that does not stops the whole load, so a deployment never trusts half a build.

use std::path::Path;

use clap::Subcommand;
use jixiao_domain::Message;

use super::say::{because, failed, store_error, tell};
use super::{Cli, open};
use crate::graphql::{guard, persisted};

/// A manifest larger than this is not a front end's operations.
const MAX_MANIFEST_BYTES: u64 = 64 * 1024 * 1024;
/// Most problems listed before the rest are counted.
const LISTED: usize = 20;

#[derive(Subcommand, Debug)]
pub enum DocumentsCommand {
    /// Load a manifest of trusted documents (a JSON object of id → document, as the GraphQL Code
    /// Generator's client preset writes it): all of it or nothing; ids already loaded with the same
    /// text are left as they are.
    Add { file: std::path::PathBuf },
}

impl DocumentsCommand {
    /// What the audit trail calls this command, and what it names.
    pub fn audited(&self) -> (&'static str, String) {
        match self {
            DocumentsCommand::Add { file } => (
                "cli.documents-add",
                format!("file={}", file.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default()),
            ),
        }
    }
}

pub async fn run(cli: &Cli, cmd: &DocumentsCommand) -> Result<(), Message> {
    match cmd {
        DocumentsCommand::Add { file } => {
            let documents = read_manifest(file, cli.serve.max_fields)?;
            let (store, _) = open(cli, 2).await?;
            let by = std::env::var("USER").or_else(|_| std::env::var("LOGNAME")).unwrap_or_else(|_| "operator".into());
            let loaded = store
                .add_trusted_documents(&documents, &format!("operator:{by}"))
                .await
                .map_err(|e| because("无法登记可信文档", "cannot add the trusted documents", &store_error(&e)))?;
            tell(Message::new(
                format!("已登记 {} 个可信文档（另有 {} 个早已登记）", loaded.added, loaded.already_there),
                format!("{} trusted documents added ({} were already there)", loaded.added, loaded.already_there),
            ));
            Ok(())
        }
    }
}

/// The manifest's (id, document) pairs, each checked; or every problem found.
fn read_manifest(file: &Path, max_fields: u64) -> Result<Vec<(String, String)>, Message> {
    let name = file.display().to_string();
    let size = std::fs::metadata(file)
        .map_err(|e| failed(&format!("无法读取 {name}"), &format!("cannot read {name}"), e))?
        .len();
    if size > MAX_MANIFEST_BYTES {
        return Err(Message::new(
            format!("{name} 有 {size} 字节，超过清单上限 {MAX_MANIFEST_BYTES}"),
            format!("{name} is {size} bytes, more than a manifest may be ({MAX_MANIFEST_BYTES})"),
        ));
    }
    let text = std::fs::read_to_string(file)
        .map_err(|e| failed(&format!("无法读取 {name}"), &format!("cannot read {name}"), e))?;
    let manifest: serde_json::Map<String, serde_json::Value> = serde_json::from_str(&text).map_err(|e| {
        failed(
            &format!("{name} 不是可信文档清单（JSON 对象：id → 文档文本）"),
            &format!("{name} is not a manifest of trusted documents (a JSON object: id → document text)"),
            e,
        )
    })?;
    let mut documents = Vec::with_capacity(manifest.len());
    let mut problems = Vec::new();
    for (id, document) in manifest {
        match check_entry(&id, &document, max_fields) {
            Ok((id, text)) => documents.push((id, text)),
            Err(problem) => problems.push(problem),
        }
    }
    if problems.is_empty() && documents.is_empty() {
        return Err(Message::new(format!("{name} 中没有文档"), format!("{name} holds no documents")));
    }
    if !problems.is_empty() {
        let count = problems.len();
        let listed = |pick: fn(&Message) -> &str| {
            problems.iter().take(LISTED).map(|p| format!("\n  {}", pick(p))).collect::<String>()
        };
        return Err(Message::new(
            format!("{name} 有 {count} 个文档无法登记，未登记任何文档：{}", listed(Message::zh)),
            format!("{name} has {count} documents that cannot be added; none were added:{}", listed(Message::en)),
        ));
    }
    Ok(documents)
}

/// The entry's id as kept and its text, once both are checked.
fn check_entry(id: &str, document: &serde_json::Value, max_fields: u64) -> Result<(String, String), Message> {
    let Some(kept_id) = persisted::document_id(id) else {
        let shown = guard::clip(id, 40);
        return Err(Message::new(
            format!("{shown}：id 须为不超过 128 个字母、数字（或 - _ .）的字符串，可带前缀 sha256:"),
            format!("{shown}: an id is at most 128 letters and digits (or - _ .), optionally after sha256:"),
        ));
    };
    let Some(text) = document.as_str() else {
        return Err(Message::new(format!("{id}：文档须为字符串"), format!("{id}: the document must be a string")));
    };
    let mut request = async_graphql::Request::new(text);
    guard::check(&mut request, max_fields, true).map_err(|e| {
        let why = e.text();
        Message::new(format!("{id}：{}", why.zh()), format!("{id}: {}", why.en()))
    })?;
    Ok((kept_id.to_string(), text.to_string()))
}
