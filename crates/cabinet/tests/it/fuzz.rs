//! Hostile input on every route: control characters, huge and negative numbers, long
//! strings and broken UTF-8 in every path segment, query parameter and form field, signed in
//! as an administrator with a valid form token. Whatever comes, the portal answers it (4xx
//! or a page), never with a server error.

use crate::helpers::*;
use cabinet_core::Bin;
use cabinet_core::operator::{NumberQuery, OperatorPort};
use cabinet_sim::Simulator;
use std::sync::Arc;

/// Values as they go into a URL or a form body (already percent-encoded where needed).
fn hostile() -> Vec<String> {
    let mut v: Vec<String> = [
        "%00",
        "%09",
        "%0d%0a",
        "%0d%0aSet-Cookie:%20x=1",
        "99999999999999999999",
        "-1",
        "9223372036854775807",
        "%ff%fe",
        "%2F%09%2Fevil.example",
        "+7700111235",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    v.push("%D0%96".repeat(2 * 1024));
    v
}

/// The hostile values tried one parameter at a time, beside sensible values elsewhere.
fn sharp() -> Vec<String> {
    let mut v: Vec<String> = ["%00", "%0d%0a", "9223372036854775807"].iter().map(|s| s.to_string()).collect();
    v.push("7".repeat(10 * 1024));
    v
}

/// Every query parameter and form field any page reads, with a sensible value, so that a
/// handler reads past it to the hostile one.
fn query_fields(from: &str, to: &str) -> Vec<(&'static str, String)> {
    [("q", "0542"), ("after", ""), ("before", ""), ("from", from), ("to", to), ("page", "2"), ("next", "/numbers")]
        .into_iter()
        .chain([("os", "ios")])
        .map(|(k, v)| (k, v.to_string()))
        .collect()
}

fn form_fields(csrf: &str) -> Vec<(&'static str, String)> {
    [
        ("csrf", csrf),
        ("company_id", "x"),
        ("os", "ios"),
        ("sure", "yes"),
        ("kind", "busy"),
        ("direction", "number"),
        ("number", "+7 701 211 52 99"),
        ("service", "voicemail"),
        ("action", "register"),
        ("imei", "35367807651154"),
        ("prev_msisdn", "77012115299"),
        ("prev_owner", "940740000015"),
        ("terms", "yes"),
        ("iccid", "8997022001210685270"),
        ("phone", CAROL),
        ("password", "wrong-password"),
        ("code", "000000"),
        ("from", "77012112101"),
        ("to", "+7 701 211 77 05"),
        ("tenge", "50"),
        ("tiyn", "00"),
        ("key", "0123456789abcdef0123456789abcdef"),
        // Documents and reports.
        ("by", "system"),
        ("number", "326114001234567"),
        ("year", "2026"),
        ("output", "screen"),
        ("q", "4001234567"),
        ("month", "2026-11"),
        ("invoice", "326114001234567"),
        ("account", "4001234567"),
        ("format", "pdf"),
        ("which", "credit"),
        ("email", CAROL_EMAIL),
    ]
    .into_iter()
    .map(|(k, v)| (k, v.to_string()))
    .collect()
}

/// `fields` as a query or form body, with `hostile` put in place of the field `at` (all of
/// them but the form token when None), and after the sensible value when `append`.
fn encode(fields: &[(&str, String)], at: Option<&str>, hostile: &str, append: bool) -> String {
    fields
        .iter()
        .map(|(k, v)| {
            let hit = at.map_or(*k != "csrf", |a| a == *k);
            match (hit, append) {
                (true, true) => format!("{k}={v}{hostile}"),
                (true, false) => format!("{k}={hostile}"),
                (false, _) => format!("{k}={v}"),
            }
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// A route of the router: its path pattern and whether it answers GET and POST.
pub(crate) struct Route {
    pub path: String,
    pub get: bool,
    pub post: bool,
}

/// The routes as router.rs declares them, read from its source so that a new route is
/// walked without touching this test.
pub(crate) fn routes() -> Vec<Route> {
    let src = include_str!("../../../web/src/router.rs");
    src.split(".route(")
        .skip(1)
        .map(|part| {
            let path = part.split('"').nth(1).unwrap().to_string();
            // The handlers follow the path, up to the next route or layer.
            let handlers = part.split(".layer(").next().unwrap();
            Route { path, get: handlers.contains("get("), post: handlers.contains("post(") }
        })
        .collect()
}

/// The path with each `{name}` (or `{*name}`) replaced by `value(name)`.
pub(crate) fn fill(pattern: &str, value: impl Fn(&str) -> String) -> String {
    let mut out = String::new();
    let mut rest = pattern;
    while let Some(start) = rest.find('{') {
        let end = rest[start..].find('}').unwrap() + start;
        out.push_str(&rest[..start]);
        out.push_str(&value(rest[start + 1..end].trim_start_matches('*')));
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    out
}

/// Sensible segment values, so that the handlers behind them read their forms and queries.
fn good(route: &str, name: &str, msisdn: &str) -> String {
    match name {
        "code" if route.starts_with("/lang/") => "en",
        "msisdn" => msisdn,
        "operation" => "block",
        "kind" => "busy",
        "action" => "send",
        "switch" => "on",
        "code" => "voicemail",
        "ban" => "ussd_control",
        "path" => "app.js",
        other => other,
    }
    .to_string()
}

#[tokio::test]
async fn hostile_input_on_every_route_never_gets_a_server_error() {
    let app = spawn().await;
    let b = app.signed_in(CAROL).await;
    let csrf = b.get("/numbers").await.csrf();
    let sim = Simulator::new(app.db.db.clone());
    let q = NumberQuery { limit: 1, ..NumberQuery::default() };
    let mine = sim.list_numbers(&Bin::parse(BIN_A).unwrap(), &q).await.unwrap().items[0].msisdn.to_string();

    let today = jiff::Timestamp::now().to_zoned(jiff::tz::TimeZone::get("Asia/Almaty").unwrap()).date();
    let day = |d: jiff::civil::Date| d.strftime("%d-%m-%Y").to_string();
    let query = query_fields(&day(today.yesterday().unwrap()), &day(today));
    let form = form_fields(&csrf);

    let routes = routes();
    assert!(routes.len() >= 30, "read only {} routes from router.rs", routes.len());
    // (POST?, path and query, form body)
    let mut requests: Vec<(bool, String, String)> = Vec::new();
    let mut add = |r: &Route, path: &str, at: Option<&str>, h: &str, append: bool| {
        if r.get && at.is_none_or(|a| query.iter().any(|(k, _)| *k == a)) {
            // A URL holds at most 64 kB: ten long values go as one at a time (below) instead.
            let q = encode(&query, at, h, append);
            let url = if path.len() + q.len() > 60_000 { path.to_string() } else { format!("{path}?{q}") };
            requests.push((false, url, String::new()));
        }
        if r.post && at.is_none_or(|a| form.iter().any(|(k, _)| *k == a)) {
            requests.push((true, path.to_string(), encode(&form, at, h, append)));
        }
    };
    // Signing out would end the walk: it goes last.
    for r in routes.iter().filter(|r| r.path != "/signout") {
        let real = fill(&r.path, |name| good(&r.path, name, &mine));
        let names: Vec<&str> =
            r.path.split('{').skip(1).map(|s| s.split('}').next().unwrap().trim_start_matches('*')).collect();
        for h in hostile() {
            // Everything hostile at once, and each segment on its own beside real ones.
            add(r, &fill(&r.path, |_| h.clone()), None, &h, false);
            for name in &names {
                add(
                    r,
                    &fill(&r.path, |n| if n == *name { h.clone() } else { good(&r.path, n, &mine) }),
                    None,
                    "",
                    true,
                );
            }
            // Every parameter and field hostile, alone or after a sensible value.
            add(r, &real, None, &h, false);
            add(r, &real, None, &h, true);
        }
        // One parameter or field at a time, the others sensible.
        for h in sharp() {
            for (k, _) in query.iter().chain(form.iter()).filter(|(k, _)| *k != "csrf") {
                add(r, &real, Some(k), &h, false);
            }
        }
    }

    let b = Arc::new(b);
    let mut failures = Vec::new();
    let mut statuses = std::collections::BTreeMap::new();
    // A few at a time: the walk stays short, and concurrent writers are part of the test.
    for chunk in requests.chunks(8) {
        let mut set = tokio::task::JoinSet::new();
        for (post, path, body) in chunk.iter().cloned() {
            let b = b.clone();
            set.spawn(async move {
                let url = format!("{}{path}", b.base);
                let req = if post {
                    b.client.post(url).header("content-type", "application/x-www-form-urlencoded").body(body)
                } else {
                    b.client.get(url)
                };
                // No answer at all (a dropped connection) counts as a failure too: 0.
                let status = req.send().await.map(|r| r.status().as_u16()).unwrap_or(0);
                (post, path, status)
            });
        }
        while let Some(done) = set.join_next().await {
            let (post, path, status) = done.unwrap();
            *statuses.entry(status).or_insert(0) += 1;
            if status >= 500 || status == 0 {
                let shown: String = path.chars().take(160).collect();
                failures.push(format!("{} {shown} → {status}", if post { "POST" } else { "GET" }));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} server errors of {} requests ({statuses:?}):\n{}",
        failures.len(),
        requests.len(),
        failures.join("\n")
    );
    // Many requests got past the hostile value into a page: the walk reached the handlers.
    assert!(statuses.get(&200).copied().unwrap_or(0) > requests.len() / 5, "{statuses:?}");

    // The walk was made signed in, to the end.
    let after = b.get("/numbers").await;
    assert_eq!(after.status, reqwest::StatusCode::OK, "still signed in");
    let out = b.client.post(format!("{}/signout", b.base)).header("content-type", "application/x-www-form-urlencoded");
    let res = out.body(format!("csrf={csrf}&next=%0d%0a&x=%ff")).send().await.unwrap();
    assert!(res.status().as_u16() < 500, "signout: {}", res.status());
}
