//! The lifecycle on an in-memory SQLite database (seconds, not minutes): a step and its history,
//! a stale version, two steps from one read, a forbidden actor, and the commit hook that runs
//! after a commit only. The seed's projects are the forms; the rules are the domain's.

use jixiao_domain::{Actor, DeclarationDocument, ReviewAction, Role, Status};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, TransactionTrait};

use super::{Step, StepRecord, compare_and_set, find_visible, steps_of, take_step};
use crate::entity::review;
use crate::error::{StoreError, version_conflict};
use crate::organization::NewUser;
use crate::projects::ProjectForm;
use crate::{ProjectRecord, Store};

const SEED: &str = include_str!("../../../../fixtures/songjiang-2023.json");

struct Seeded {
    store: Store,
    project: i64,
    submitter: Actor,
    approver: Actor,
    stranger: Actor,
}

async fn seeded() -> Seeded {
    let store = Store::connect("sqlite::memory:", 1).await.unwrap();
    store.migrate().await.unwrap();
    let doc: DeclarationDocument = serde_json::from_str(SEED).unwrap();
    let report = store.operator().import(&doc).await.unwrap();
    let department = report.department.id;
    let other = store.operator().create_department("OTHER", "另一个部门").await.unwrap();
    let user = async |username: &str, role: Role, department_id: Option<i64>| {
        let new = NewUser { username, display_name: username, role, department_id, password_hash: "never logs in" };
        let user = store.operator().create_user(new).await.unwrap();
        Actor { user_id: user.id, role, department_id }
    };
    let submitter = user("tianbao", Role::Submitter, Some(department)).await;
    let approver = user("shenhe", Role::Approver, None).await;
    let stranger = user("waibu", Role::Submitter, Some(other.id)).await;
    Seeded { project: report.created_ids[0], store, submitter, approver, stranger }
}

async fn history(store: &Store, id: i64) -> Vec<StepRecord<Status, ReviewAction>> {
    let mut by_form = steps_of::<ProjectForm, _, _>(
        store.connection(),
        |c| c.eq(id),
        |r| r.project_id,
        |r| {
            Ok(StepRecord {
                id: r.id,
                form_id: r.project_id,
                action: ReviewAction::from_code(&r.action).unwrap(),
                from_status: Status::from_code(&r.from_status).unwrap(),
                to_status: Status::from_code(&r.to_status).unwrap(),
                actor_id: r.actor_id,
                comment: r.comment,
                at: r.at,
            })
        },
    )
    .await
    .unwrap();
    by_form.remove(&id).unwrap_or_default()
}

async fn read(store: &Store, actor: &Actor, id: i64) -> ProjectRecord {
    find_visible::<ProjectForm, _>(store.connection(), actor, id).await.unwrap()
}

fn step<'a>(form: &ProjectRecord, action: ReviewAction, to: Status, actor: &Actor) -> Step<'a, ProjectForm> {
    Step {
        form_id: form.id,
        action,
        from: form.status,
        to,
        actor_id: actor.user_id,
        comment: "",
        at: chrono::Utc::now(),
    }
}

#[tokio::test]
async fn steps_move_the_form_record_their_history_and_count_their_commits() {
    let s = seeded().await;
    let scope = s.store.scope(s.submitter);
    assert_eq!(scope.generation(), 0);
    let submitted = scope.projects().transition(s.project, ReviewAction::Submit, "").await.unwrap();
    assert_eq!((submitted.status, submitted.version), (Status::Submitted, 2));
    assert_eq!(scope.generation(), 1, "a committed step moves the scope's generation on");
    let approved = s.store.projects(s.approver).transition(s.project, ReviewAction::Approve, "同意").await.unwrap();
    assert_eq!((approved.status, approved.version), (Status::Approved, 3));
    assert_eq!(scope.generation(), 1, "another scope's commit is not this scope's");

    let steps = history(&s.store, s.project).await;
    let seen: Vec<_> =
        steps.iter().map(|r| (r.action, r.from_status, r.to_status, r.actor_id, r.comment.as_str())).collect();
    assert_eq!(
        seen,
        [
            (ReviewAction::Submit, Status::Draft, Status::Submitted, s.submitter.user_id, ""),
            (ReviewAction::Approve, Status::Submitted, Status::Approved, s.approver.user_id, "同意"),
        ]
    );
    assert_eq!(read(&s.store, &s.approver, s.project).await, approved, "the step answers what a read gives");
}

#[tokio::test]
async fn a_write_from_a_stale_read_writes_nothing() {
    let s = seeded().await;
    let db = s.store.connection();
    let stale = read(&s.store, &s.submitter, s.project).await;
    let edit = || vec![(crate::entity::project::Column::AnnualGoal, Expr::value("改过的年度目标"))];
    compare_and_set::<ProjectForm, _>(db, &stale, edit(), version_conflict).await.unwrap();
    let now = read(&s.store, &s.submitter, s.project).await;
    assert_eq!((now.version, now.text.annual_goal.as_str()), (stale.version + 1, "改过的年度目标"));

    let again = compare_and_set::<ProjectForm, _>(db, &stale, edit(), version_conflict).await;
    assert!(matches!(again, Err(StoreError::Rejected(p)) if p[0].code == jixiao_domain::ProblemCode::VersionConflict));
    assert_eq!(read(&s.store, &s.submitter, s.project).await.version, now.version, "nothing written");
}

#[tokio::test]
async fn two_steps_from_one_read_leave_one_winner_and_one_history_row() {
    let s = seeded().await;
    let db = s.store.connection();
    let read_once = read(&s.store, &s.submitter, s.project).await;
    let submit = step(&read_once, ReviewAction::Submit, Status::Submitted, &s.submitter);
    take_step::<ProjectForm, _>(db, &read_once, &submit, None, version_conflict).await.unwrap();
    let loser = take_step::<ProjectForm, _>(db, &read_once, &submit, None, version_conflict).await;
    assert!(loser.is_err(), "the second step from the same read loses");
    assert_eq!(history(&s.store, s.project).await.len(), 1, "the loser records no step");
    assert_eq!(read(&s.store, &s.submitter, s.project).await.version, read_once.version + 1);
}

#[tokio::test]
async fn an_actor_the_rule_refuses_changes_nothing() {
    let s = seeded().await;
    let before = read(&s.store, &s.submitter, s.project).await;
    // An approver does not see a draft; a submitter of another department sees nothing of it.
    for actor in [s.approver, s.stranger] {
        let scope = s.store.scope(actor);
        let refused = scope.projects().transition(s.project, ReviewAction::Submit, "").await;
        assert!(matches!(refused, Err(StoreError::NotFound)), "{refused:?}");
        assert_eq!(scope.generation(), 0);
    }
    s.store.projects(s.submitter).transition(s.project, ReviewAction::Submit, "").await.unwrap();
    // Seen now, but approving is not a submitter's step.
    let refused = s.store.projects(s.submitter).transition(s.project, ReviewAction::Approve, "").await;
    assert!(matches!(refused, Err(StoreError::Forbidden(_))), "{refused:?}");
    assert_eq!(history(&s.store, s.project).await.len(), 1);
    assert_eq!(read(&s.store, &s.submitter, s.project).await.version, before.version + 1);
}

#[tokio::test]
async fn the_commit_hook_runs_after_a_commit_only() {
    let s = seeded().await;
    let scope = s.store.scope(s.submitter);
    // A step refused by the rules (withdrawing a draft) rolls back: nothing to forget.
    let refused = scope.projects().transition(s.project, ReviewAction::Withdraw, "").await;
    assert!(refused.is_err());
    assert_eq!(scope.generation(), 0);

    // A step taken in a transaction that is dropped uncommitted leaves no trace.
    let txn = s.store.connection().begin().await.unwrap();
    let form = find_visible::<ProjectForm, _>(&txn, &s.submitter, s.project).await.unwrap();
    let submit = step(&form, ReviewAction::Submit, Status::Submitted, &s.submitter);
    take_step::<ProjectForm, _>(&txn, &form, &submit, None, version_conflict).await.unwrap();
    drop(txn);
    assert_eq!(scope.generation(), 0);
    assert_eq!(review::Entity::find().count(s.store.connection()).await.unwrap(), 0);
    assert_eq!(read(&s.store, &s.submitter, s.project).await.status, Status::Draft);

    scope.projects().transition(s.project, ReviewAction::Submit, "").await.unwrap();
    assert_eq!(scope.generation(), 1);
}

/// Whatever a scope writes through, its generation moves on: the project's steps, a remark, an
/// organization write; nothing it only reads does.
#[tokio::test]
async fn every_handle_of_a_scope_commits_through_its_generation() {
    let s = seeded().await;
    s.store.projects(s.submitter).transition(s.project, ReviewAction::Submit, "").await.unwrap();
    let scope = s.store.scope(s.approver);
    scope.projects().get(s.project).await.unwrap();
    scope.projects().reviews_of(&[s.project]).await.unwrap();
    assert_eq!(scope.generation(), 0, "reads move nothing");
    scope.projects().add_remark(s.project, Some("name"), None, "名称请写全称").await.unwrap();
    assert_eq!(scope.generation(), 1, "a remark is a write");

    let operator = s.store.operator();
    let new = NewUser {
        username: "guanli",
        display_name: "管理员",
        role: Role::Admin,
        department_id: None,
        password_hash: "never logs in",
    };
    let admin = operator.create_user(new).await.unwrap();
    let scope = s.store.scope(Actor { user_id: admin.id, role: Role::Admin, department_id: None });
    scope.admin().unwrap().create_department("NEW", "新部门").await.unwrap();
    assert_eq!(scope.generation(), 1, "a write outside a transaction counts too");
}
