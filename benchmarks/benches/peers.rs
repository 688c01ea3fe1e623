//! azabac's VM beside its reference evaluator, a hand-written Rust decision over pre-parsed
//! inputs (the physical limit), and three peers: regorus's Azure RBAC condition interpreter,
//! `cel` and `cedar-policy`, on equivalent expressions. Every implementation is first checked
//! to give the expected answer on every request, so the numbers compare equal work.
//!
//! regorus cannot parse the documented syntax (`ActionMatches{'…'}`, `Quantifier:Operator`),
//! so it gets the nearest form it accepts: `ActionMatches('…')` and a bare
//! `ForAnyOfAnyValues` against a list, which compares strings exactly (not as GUIDs).
//! `cel` and Cedar get plain string comparisons of the same shape.
//!
//! Run: `cd benchmarks && cargo bench`.

use std::hint::black_box;
use std::str::FromStr;

use azabac::catalog::Catalog;
use azabac::eval::{Program, Request, reference};
use azabac::syntax::{self, Expr};
use criterion::{Criterion, criterion_group, criterion_main};
use serde_json::{Value as Json, json};

const WRITE: &str = "Microsoft.Authorization/roleAssignments/write";
const DELETE: &str = "Microsoft.Authorization/roleAssignments/delete";
const OTHER_ACTION: &str = "Microsoft.CognitiveServices/accounts/read";
const RDID: &str = "Microsoft.Authorization/roleAssignments:RoleDefinitionId";
const AI_USER: &str = "53ca6127-db72-4b80-b1b0-d745d6d5456d";
const OWNER: &str = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635";
const BLOB_READ: &str = "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read";
const TAGS: &str = "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/tags";
const PATH: &str = "Microsoft.Storage/storageAccounts/blobServices/containers/blobs:path";

/// The GUIDs a delegation condition allows: Azure AI User alone, or 19 others before it.
fn allowed(count: usize) -> Vec<String> {
    let mut guids: Vec<String> = (1..count)
        .map(|i| format!("{i:08x}-0000-4000-8000-{i:012x}"))
        .collect();
    guids.push(AI_USER.to_owned());
    guids
}

fn azabac_delegation(guids: &[String]) -> String {
    let set = guids.join(", ");
    format!(
        "((!(ActionMatches{{'{WRITE}'}})) OR (@Request[{RDID}] ForAnyOfAnyValues:GuidEquals{{{set}}})) AND \
         ((!(ActionMatches{{'{DELETE}'}})) OR (@Resource[{RDID}] ForAnyOfAnyValues:GuidEquals{{{set}}}))"
    )
}

fn regorus_delegation(guids: &[String]) -> String {
    // One value per line: regorus rejects lines over 1,024 columns.
    let list: Vec<String> = guids.iter().map(|g| format!("'{g}'")).collect();
    let list = list.join(",\n");
    format!(
        "((NOT ActionMatches('{WRITE}')) OR (@Request[{RDID}] ForAnyOfAnyValues [{list}])) AND \
         ((NOT ActionMatches('{DELETE}')) OR (@Resource[{RDID}] ForAnyOfAnyValues [{list}]))"
    )
}

fn cel_delegation(guids: &[String]) -> String {
    let list: Vec<String> = guids.iter().map(|g| format!("'{g}'")).collect();
    let list = list.join(", ");
    format!(
        "(action != '{WRITE}' || (has(request.rdid) && request.rdid in [{list}])) && \
         (action != '{DELETE}' || (has(resource.rdid) && resource.rdid in [{list}]))"
    )
}

fn cedar_delegation(guids: &[String]) -> String {
    let list: Vec<String> = guids.iter().map(|g| format!("\"{g}\"")).collect();
    let list = list.join(", ");
    format!(
        "permit(principal, action, resource) when {{ \
           (context.action != \"{WRITE}\" || (context has requestRdid && [{list}].contains(context.requestRdid))) && \
           (context.action != \"{DELETE}\" || (context has resourceRdid && [{list}].contains(context.resourceRdid))) }};"
    )
}

const AZABAC_BLOB: &str = "((!(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read'} AND NOT SubOperationMatches{'Blob.List'})) OR \
     (@Resource[Microsoft.Storage/storageAccounts/blobServices/containers/blobs/tags:Project<$key_case_sensitive$>] StringEquals 'Cascade' \
      AND @Resource[Microsoft.Storage/storageAccounts/blobServices/containers/blobs:path] StringLike 'logs/*'))";
const CEL_BLOB: &str = "action != 'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read' || 'Blob.List' in subOperations || \
     (has(tags.Project) && tags.Project == 'Cascade' && path.startsWith('logs/'))";
const CEDAR_BLOB: &str = "permit(principal, action, resource) when { \
     context.action != \"Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read\" || context.subOperations.contains(\"Blob.List\") || \
     (context has project && context.project == \"Cascade\" && context.path like \"logs/*\") };";
const REGORUS_BLOB: &str = "(NOT (ActionMatches('Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read') AND NOT SubOperationMatches('Blob.List'))) OR \
     (@Resource[Microsoft.Storage/storageAccounts/blobServices/containers/blobs/tags:Project] StringEquals 'Cascade' \
      AND @Resource[Microsoft.Storage/storageAccounts/blobServices/containers/blobs:path] StringLike 'logs/*')";

/// One request in every implementation's own form.
struct Input {
    name: &'static str,
    expected: bool,
    json: Json,
    azabac: Request,
    regorus: regorus::languages::azure_rbac::ast::EvaluationContext,
    cel: cel::Context<'static, 'static>,
    cedar: cedar_policy::Request,
    /// For the hand-written functions.
    action: &'static str,
    subops: Vec<&'static str>,
    request_guid: Option<u128>,
    resource_guid: Option<u128>,
    tag: Option<&'static str>,
    path: Option<&'static str>,
}

fn guid(text: &str) -> u128 {
    uuid::Uuid::parse_str(text)
        .map(|u| u.as_u128())
        .unwrap_or(0)
}

#[derive(Default, Clone, Copy)]
struct Raw {
    action: &'static str,
    subops: &'static [&'static str],
    request_guid: Option<&'static str>,
    resource_guid: Option<&'static str>,
    tag: Option<&'static str>,
    path: Option<&'static str>,
}

fn azabac_json(raw: Raw) -> Json {
    let mut request = serde_json::Map::new();
    let mut resource = serde_json::Map::new();
    if let Some(g) = raw.request_guid {
        request.insert(RDID.into(), json!(g));
    }
    if let Some(g) = raw.resource_guid {
        resource.insert(RDID.into(), json!(g));
    }
    if let Some(t) = raw.tag {
        resource.insert(TAGS.into(), json!({"Project": t}));
    }
    if let Some(p) = raw.path {
        resource.insert(PATH.into(), json!(p));
    }
    json!({"action": raw.action, "subOperations": raw.subops, "request": request, "resource": resource})
}

fn regorus_context(raw: Raw) -> regorus::languages::azure_rbac::ast::EvaluationContext {
    use regorus::languages::azure_rbac::ast::{
        EnvironmentContext, EvaluationContext, Principal, PrincipalType, RequestContext, Resource,
    };
    let mut request = serde_json::Map::new();
    let mut resource = serde_json::Map::new();
    if let Some(g) = raw.request_guid {
        request.insert(RDID.into(), json!(g));
    }
    if let Some(g) = raw.resource_guid {
        resource.insert(RDID.into(), json!(g));
    }
    if let Some(t) = raw.tag {
        resource.insert(format!("{TAGS}:Project"), json!(t));
    }
    if let Some(p) = raw.path {
        resource.insert(PATH.into(), json!(p));
    }
    let value = |map: serde_json::Map<String, Json>| {
        regorus::Value::from_json_str(&Json::Object(map).to_string())
            .unwrap_or_else(|_| regorus::Value::new_object())
    };
    EvaluationContext {
        principal: Principal {
            id: "p".into(),
            principal_type: PrincipalType::User,
            custom_security_attributes: regorus::Value::new_object(),
        },
        resource: Resource {
            id: "r".into(),
            resource_type: "t".into(),
            scope: "/".into(),
            attributes: value(resource),
        },
        request: RequestContext {
            action: Some(raw.action.into()),
            data_action: None,
            attributes: value(request),
        },
        environment: EnvironmentContext {
            is_private_link: None,
            private_endpoint: None,
            subnet: None,
            utc_now: None,
        },
        action: Some(raw.action.into()),
        // regorus fails `SubOperationMatches` when the context has no suboperation.
        suboperation: Some(raw.subops.first().map_or(String::new(), |s| (*s).to_owned())),
    }
}

fn cel_context(raw: Raw) -> cel::Context<'static, 'static> {
    use std::collections::HashMap;
    let mut context = cel::Context::default();
    context.add_variable_from_value("action", raw.action);
    let subops: Vec<String> = raw.subops.iter().map(|s| (*s).to_owned()).collect();
    context.add_variable_from_value("subOperations", subops);
    let mut request: HashMap<String, String> = HashMap::new();
    let mut resource: HashMap<String, String> = HashMap::new();
    if let Some(g) = raw.request_guid {
        request.insert("rdid".into(), g.into());
    }
    if let Some(g) = raw.resource_guid {
        resource.insert("rdid".into(), g.into());
    }
    let mut tags: HashMap<String, String> = HashMap::new();
    if let Some(t) = raw.tag {
        tags.insert("Project".into(), t.into());
    }
    context.add_variable_from_value("request", request);
    context.add_variable_from_value("resource", resource);
    context.add_variable_from_value("tags", tags);
    context.add_variable_from_value("path", raw.path.unwrap_or(""));
    context
}

fn cedar_request(raw: Raw) -> cedar_policy::Request {
    let mut context = serde_json::Map::new();
    context.insert("action".into(), json!(raw.action));
    context.insert("subOperations".into(), json!(raw.subops));
    if let Some(g) = raw.request_guid {
        context.insert("requestRdid".into(), json!(g));
    }
    if let Some(g) = raw.resource_guid {
        context.insert("resourceRdid".into(), json!(g));
    }
    if let Some(t) = raw.tag {
        context.insert("project".into(), json!(t));
    }
    context.insert("path".into(), json!(raw.path.unwrap_or("")));
    let context = cedar_policy::Context::from_json_value(Json::Object(context), None)
        .unwrap_or_else(|_| cedar_policy::Context::empty());
    let uid = |text: &str| cedar_policy::EntityUid::from_str(text).ok();
    match (
        uid(r#"User::"alice""#),
        uid(r#"Action::"decide""#),
        uid(r#"Resource::"r""#),
    ) {
        (Some(p), Some(a), Some(r)) => {
            cedar_policy::Request::new(p, a, r, context, None).unwrap_or_else(|e| panic!("{e}"))
        }
        _ => panic!("entity uids"),
    }
}

fn input(name: &'static str, expected: bool, raw: Raw, catalog: &Catalog) -> Input {
    let json = azabac_json(raw);
    Input {
        name,
        expected,
        azabac: Request::from_value(&json, catalog).unwrap_or_else(|e| panic!("{e}")),
        json,
        regorus: regorus_context(raw),
        cel: cel_context(raw),
        cedar: cedar_request(raw),
        action: raw.action,
        subops: raw.subops.to_vec(),
        request_guid: raw.request_guid.map(guid),
        resource_guid: raw.resource_guid.map(guid),
        tag: raw.tag,
        path: raw.path,
    }
}

/// The hand-written delegation decision over pre-parsed inputs.
fn handwritten_delegation(input: &Input, allowed: &[u128]) -> bool {
    let allows = |g: Option<u128>| g.is_some_and(|g| allowed.contains(&g));
    (!input.action.eq_ignore_ascii_case(WRITE) || allows(input.request_guid))
        && (!input.action.eq_ignore_ascii_case(DELETE) || allows(input.resource_guid))
}

fn handwritten_blob(input: &Input) -> bool {
    !input.action.eq_ignore_ascii_case(BLOB_READ)
        || input
            .subops
            .iter()
            .any(|s| s.eq_ignore_ascii_case("Blob.List"))
        || (input.tag == Some("Cascade") && input.path.is_some_and(|p| p.starts_with("logs/")))
}

/// One scenario: a condition in every dialect and its requests.
struct Scenario {
    name: &'static str,
    azabac: String,
    regorus: String,
    cel: String,
    cedar: String,
    allowed: Vec<u128>,
    inputs: Vec<Input>,
}

fn scenarios(catalog: &Catalog) -> Vec<Scenario> {
    let delegation = |name, count| {
        let guids = allowed(count);
        Scenario {
            name,
            azabac: azabac_delegation(&guids),
            regorus: regorus_delegation(&guids),
            cel: cel_delegation(&guids),
            cedar: cedar_delegation(&guids),
            allowed: guids.iter().map(|g| guid(g)).collect(),
            inputs: vec![
                input(
                    "write-allowed",
                    true,
                    Raw {
                        action: WRITE,
                        request_guid: Some(AI_USER),
                        ..Raw::default()
                    },
                    catalog,
                ),
                input(
                    "write-other",
                    false,
                    Raw {
                        action: WRITE,
                        request_guid: Some(OWNER),
                        ..Raw::default()
                    },
                    catalog,
                ),
                input(
                    "unrelated",
                    true,
                    Raw {
                        action: OTHER_ACTION,
                        ..Raw::default()
                    },
                    catalog,
                ),
            ],
        }
    };
    vec![
        delegation("ai-owner-1", 1),
        delegation("ai-owner-20", 20),
        Scenario {
            name: "blob-tag-path",
            azabac: AZABAC_BLOB.into(),
            regorus: REGORUS_BLOB.into(),
            cel: CEL_BLOB.into(),
            cedar: CEDAR_BLOB.into(),
            allowed: Vec::new(),
            inputs: vec![
                input(
                    "read-allowed",
                    true,
                    Raw {
                        action: BLOB_READ,
                        tag: Some("Cascade"),
                        path: Some("logs/a.txt"),
                        ..Raw::default()
                    },
                    catalog,
                ),
                input(
                    "read-denied",
                    false,
                    Raw {
                        action: BLOB_READ,
                        tag: Some("Baker"),
                        path: Some("logs/a.txt"),
                        ..Raw::default()
                    },
                    catalog,
                ),
                input(
                    "list",
                    true,
                    Raw {
                        action: BLOB_READ,
                        subops: &["Blob.List"],
                        ..Raw::default()
                    },
                    catalog,
                ),
            ],
        },
    ]
}

/// Every implementation, compiled once.
struct Compiled {
    program: Program,
    tree: Expr,
    regorus: regorus::languages::azure_rbac::ast::ConditionExpression,
    cel: cel::Program,
    cedar: cedar_policy::PolicySet,
}

fn compile(scenario: &Scenario, catalog: &Catalog) -> Compiled {
    Compiled {
        program: Program::from_source(&scenario.azabac, catalog)
            .unwrap_or_else(|d| panic!("{d:?}")),
        tree: syntax::parse(&scenario.azabac)
            .condition
            .unwrap_or_else(|| panic!("parse")),
        regorus: regorus::languages::azure_rbac::parser::parse_condition_expression(
            &scenario.regorus,
        )
        .unwrap_or_else(|e| panic!("regorus: {e:?}")),
        cel: cel::Program::compile(&scenario.cel).unwrap_or_else(|e| panic!("cel: {e:?}")),
        cedar: cedar_policy::PolicySet::from_str(&scenario.cedar)
            .unwrap_or_else(|e| panic!("cedar: {e:?}")),
    }
}

fn regorus_decide(
    c: &Compiled,
    context: &regorus::languages::azure_rbac::ast::EvaluationContext,
) -> bool {
    regorus::languages::azure_rbac::interpreter::ConditionInterpreter::new(context)
        .evaluate_condition_expression(&c.regorus)
        .unwrap_or(false)
}

fn cel_decide(c: &Compiled, context: &cel::Context<'_, '_>) -> bool {
    matches!(c.cel.execute(context), Ok(cel::Value::Bool(true)))
}

fn cedar_decide(c: &Compiled, request: &cedar_policy::Request) -> bool {
    let entities = cedar_policy::Entities::empty();
    cedar_policy::Authorizer::new()
        .is_authorized(request, &c.cedar, &entities)
        .decision()
        == cedar_policy::Decision::Allow
}

fn handwritten(scenario: &Scenario, input: &Input) -> bool {
    if scenario.allowed.is_empty() {
        handwritten_blob(input)
    } else {
        handwritten_delegation(input, &scenario.allowed)
    }
}

fn evaluation(c: &mut Criterion) {
    let catalog = Catalog::builtin();
    for scenario in scenarios(catalog) {
        let compiled = compile(&scenario, catalog);
        for input in &scenario.inputs {
            let label = format!("{}/{}", scenario.name, input.name);
            // Equal work: every implementation must give the expected answer.
            assert_eq!(
                compiled.program.evaluate(&input.azabac),
                input.expected,
                "azabac {label}"
            );
            assert_eq!(
                reference::evaluate(&compiled.tree, &input.azabac).unwrap_or(false),
                input.expected,
                "reference {label}"
            );
            assert_eq!(
                handwritten(&scenario, input),
                input.expected,
                "hand-written {label}"
            );
            assert_eq!(
                regorus_decide(&compiled, &input.regorus),
                input.expected,
                "regorus {label}: {:?}",
                regorus::languages::azure_rbac::interpreter::ConditionInterpreter::new(&input.regorus)
                    .evaluate_condition_expression(&compiled.regorus)
            );
            assert_eq!(
                cel_decide(&compiled, &input.cel),
                input.expected,
                "cel {label}"
            );
            assert_eq!(
                cedar_decide(&compiled, &input.cedar),
                input.expected,
                "cedar {label}"
            );
            let mut group = c.benchmark_group(format!("eval/{label}"));
            group.bench_function("azabac-vm", |b| {
                b.iter(|| compiled.program.evaluate(black_box(&input.azabac)))
            });
            group.bench_function("azabac-reference", |b| {
                b.iter(|| reference::evaluate(black_box(&compiled.tree), black_box(&input.azabac)))
            });
            group.bench_function("hand-written", |b| {
                b.iter(|| handwritten(&scenario, black_box(input)))
            });
            group.bench_function("regorus", |b| {
                b.iter(|| regorus_decide(&compiled, black_box(&input.regorus)))
            });
            group.bench_function("cel", |b| {
                b.iter(|| cel_decide(&compiled, black_box(&input.cel)))
            });
            group.bench_function("cedar", |b| {
                b.iter(|| cedar_decide(&compiled, black_box(&input.cedar)))
            });
            group.finish();
        }
    }
}

/// Request construction from JSON-like raw values, then evaluation (the first delegation
/// request, which is allowed).
fn from_raw(c: &mut Criterion) {
    let catalog = Catalog::builtin();
    let scenario = scenarios(catalog)
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("scenario"));
    let compiled = compile(&scenario, catalog);
    let raw = Raw {
        action: WRITE,
        request_guid: Some(AI_USER),
        ..Raw::default()
    };
    let json = &scenario
        .inputs
        .first()
        .unwrap_or_else(|| panic!("input"))
        .json;
    let mut group = c.benchmark_group("from-raw/ai-owner-1/write-allowed");
    group.bench_function("azabac-vm", |b| {
        b.iter(|| {
            let request =
                Request::from_value(black_box(json), catalog).unwrap_or_else(|e| panic!("{e}"));
            compiled.program.evaluate(&request)
        })
    });
    group.bench_function("hand-written", |b| {
        b.iter(|| {
            let raw = black_box(raw);
            let request_guid = raw
                .request_guid
                .and_then(|g| uuid::Uuid::parse_str(g).ok())
                .map(|u| u.as_u128());
            let allows = |g: Option<u128>| g.is_some_and(|g| scenario.allowed.contains(&g));
            (!raw.action.eq_ignore_ascii_case(WRITE) || allows(request_guid))
                && (!raw.action.eq_ignore_ascii_case(DELETE) || allows(None))
        })
    });
    group.bench_function("regorus", |b| {
        b.iter(|| regorus_decide(&compiled, &regorus_context(black_box(raw))))
    });
    group.bench_function("cel", |b| {
        b.iter(|| cel_decide(&compiled, &cel_context(black_box(raw))))
    });
    group.bench_function("cedar", |b| {
        b.iter(|| cedar_decide(&compiled, &cedar_request(black_box(raw))))
    });
    group.finish();
}

/// Parse + check + compile (azabac) against each peer's parse or compile.
fn compilation(c: &mut Criterion) {
    let catalog = Catalog::builtin();
    let scenario = scenarios(catalog)
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("scenario"));
    let mut group = c.benchmark_group("compile/ai-owner-1");
    group.bench_function("azabac-parse-check-compile", |b| {
        b.iter(|| Program::from_source(black_box(&scenario.azabac), catalog).is_ok())
    });
    group.bench_function("regorus-parse", |b| {
        b.iter(|| {
            regorus::languages::azure_rbac::parser::parse_condition_expression(black_box(
                &scenario.regorus,
            ))
            .is_ok()
        })
    });
    group.bench_function("cel-compile", |b| {
        b.iter(|| cel::Program::compile(black_box(&scenario.cel)).is_ok())
    });
    group.bench_function("cedar-parse", |b| {
        b.iter(|| cedar_policy::PolicySet::from_str(black_box(&scenario.cedar)).is_ok())
    });
    group.finish();
}

criterion_group!(benches, evaluation, from_raw, compilation);
criterion_main!(benches);
