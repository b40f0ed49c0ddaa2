//! Behaviour that issue 9 found broken, each checked as a user would meet it, so that it is
//! caught if it comes back.
//!
//! Issue 9, written before the fixes landed: these fail on the pages as they were when they
//! were written (the row menu was a <details> clipped inside the table's box; live search
//! kept the old rows on a 422). The row menu follows the design-system contract
//! (.menu, .menu-button, .menu-list; /work/notes/ds-contract.md).

use super::*;
use crate::pages::set_viewport;
use fantoccini::Client;
use fantoccini::key::Key;
use serde_json::Value;

async fn signed_in_on_numbers(port: u16, app: &TestApp, dir: &std::path::Path, width: u32) -> Client {
    let c = browser_sized(port, dir, width.max(500), 900).await;
    set_viewport(&c, width, 900).await;
    c.goto(&format!("http://{}/lang/en?next=/signin", app.addr)).await.unwrap();
    sign_in_as_carol(&c, app).await;
    wait_for(&c, "a.number-link").await;
    c
}

/// The state of the last row's menu: its button, whether it is open, and where its list is.
const MENU_STATE: &str = r#"
    const buttons = document.querySelectorAll('#numbers-list .menu-button');
    if (!buttons.length) return { error: 'no .menu-button in the numbers list (design-system contract: .menu > .menu-button + .menu-list)' };
    const button = buttons[buttons.length - 1];
    const list = document.getElementById(button.getAttribute('aria-controls') || '') || button.parentElement.querySelector('.menu-list');
    if (!list) return { error: 'the last .menu-button controls no .menu-list' };
    const r = list.getBoundingClientRect();
    const open = !list.hidden && list.checkVisibility({ visibilityProperty: true, opacityProperty: true }) && r.width > 0;
    const problems = [];
    if (open) {
      if (r.left < 0 || r.top < 0 || r.right > innerWidth + 0.5 || r.bottom > innerHeight + 0.5)
        problems.push('the open menu [' + [r.left, r.top, r.right, r.bottom].map(Math.round) + '] is not inside the '
          + innerWidth + '×' + innerHeight + ' viewport');
      const items = list.querySelectorAll('a, button');
      if (!items.length) problems.push('the open menu has no items');
      for (const item of items) {
        const ir = item.getBoundingClientRect();
        const x = ir.left + ir.width / 2, y = ir.top + ir.height / 2;
        const hit = document.elementFromPoint(x, y);
        if (!hit || !list.contains(hit))
          problems.push('«' + item.textContent.trim() + '» is covered or clipped at its centre (' + Math.round(x) + ',' + Math.round(y)
            + '): the point shows ' + (hit ? hit.tagName.toLowerCase() + (hit.className ? '.' + String(hit.className).split(' ').join('.') : '') : 'nothing'));
      }
    }
    return { open, expanded: button.getAttribute('aria-expanded'), problems };
"#;

async fn menu_state(c: &Client) -> Value {
    c.execute(MENU_STATE, vec![]).await.unwrap()
}

async fn wait_menu(c: &Client, open: bool) -> Value {
    let mut s = Value::Null;
    for _ in 0..20 {
        s = menu_state(c).await;
        if s.get("error").is_some() || s["open"] == Value::Bool(open) {
            return s;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    s
}

/// Issue 9: "The ⋮ row menu is clipped inside the table box on the bottom rows, does not
/// close on a click elsewhere". Opening the LAST row's menu shows every item inside the
/// viewport and on top; a click elsewhere closes it; so does Escape. At both widths.
#[tokio::test]
async fn the_last_rows_menu_is_not_clipped_and_closes_on_a_click_elsewhere_and_escape() {
    let Some((_driver, port)) = start_driver().await else { return };
    let app = spawn().await;
    let mut failures = Vec::new();
    for width in [1366, 390] {
        let dir = tempfile::tempdir().unwrap();
        let c = signed_in_on_numbers(port, &app, dir.path(), width).await;
        let mut fail = |what: String| failures.push(format!("{width} px: {what}"));
        let s = menu_state(&c).await;
        if let Some(e) = s.get("error") {
            fail(e.as_str().unwrap_or_default().to_string());
            c.close().await.unwrap();
            continue;
        }
        // The last row's button at the bottom of the viewport: where a menu is most easily cut.
        let buttons = c.find_all(Locator::Css("#numbers-list .menu-button")).await.unwrap();
        let button = buttons.last().unwrap().clone();
        c.execute("arguments[0].scrollIntoView({block: 'end'})", vec![serde_json::to_value(&button).unwrap()])
            .await
            .unwrap();
        button.click().await.unwrap();
        let s = wait_menu(&c, true).await;
        std::fs::create_dir_all(crate::pages::screenshots_dir()).unwrap();
        let png = c.screenshot().await.unwrap();
        std::fs::write(crate::pages::screenshots_dir().join(format!("en-{width}-menu-open-last-row.png")), png)
            .unwrap();
        if s["open"] != Value::Bool(true) {
            fail("a click on the last row's menu button did not open its menu".into());
        } else {
            if s["expanded"] != "true" {
                fail(format!("the open menu's button says aria-expanded={}", s["expanded"]));
            }
            for p in s["problems"].as_array().into_iter().flatten() {
                fail(p.as_str().unwrap_or_default().to_string());
            }
            // A click elsewhere on the page closes it.
            c.find(Locator::Css("h1")).await.unwrap().click().await.unwrap();
            let s = wait_menu(&c, false).await;
            if s["open"] != Value::Bool(false) {
                fail("a click elsewhere (on the page's heading) did not close the menu".into());
            } else if s["expanded"] != "false" {
                fail(format!("the closed menu's button says aria-expanded={}", s["expanded"]));
            }
            // Escape closes it too.
            c.execute("arguments[0].scrollIntoView({block: 'end'})", vec![serde_json::to_value(&button).unwrap()])
                .await
                .unwrap();
            button.click().await.unwrap();
            if wait_menu(&c, true).await["open"] == Value::Bool(true) {
                c.active_element().await.unwrap().send_keys(&char::from(Key::Escape).to_string()).await.unwrap();
                if wait_menu(&c, false).await["open"] != Value::Bool(false) {
                    fail("Escape did not close the menu".into());
                }
            } else {
                fail("the menu did not open a second time".into());
            }
        }
        c.close().await.unwrap();
    }
    assert!(failures.is_empty(), "the row menu (issue 9):\n{}", failures.join("\n"));
}

/// Issue 9: "Live search keeps the previous results and count when the query is invalid
/// ("abc"): the server's 422 fragment is not swapped in." After results for some digits,
/// typing "abc" shows the error and neither the old rows nor the old count.
#[tokio::test]
async fn live_search_with_an_invalid_query_replaces_the_results_with_the_error() {
    let Some((_driver, port)) = start_driver().await else { return };
    let app = spawn().await;
    let dir = tempfile::tempdir().unwrap();
    let c = signed_in_on_numbers(port, &app, dir.path(), 1366).await;
    let first = wait_for(&c, "a.number-link").await.text().await.unwrap();
    let q = wait_for(&c, "#q").await;
    q.send_keys(&first[4..9]).await.unwrap();
    wait_text(&c, "#numbers-count", "found").await;
    let old_count = c.find(Locator::Css("#numbers-count")).await.unwrap().text().await.unwrap();
    q.clear().await.unwrap();
    q.send_keys("abc").await.unwrap();
    let mut shown = (0, String::new(), false);
    for _ in 0..50 {
        tokio::time::sleep(Duration::from_millis(100)).await;
        let rows = c.find_all(Locator::Css("#numbers-list a.number-link")).await.unwrap().len();
        let count = match c.find(Locator::Css("#numbers-count")).await {
            Ok(e) => e.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        };
        // The error as the list shows it today, or as a form field's error (design-system contract).
        let error = c
            .execute(
                "return Array.from(document.querySelectorAll('#numbers-list [role=alert], #search-error, #q-error, .field-error'))
                   .some(e => e.checkVisibility() && e.textContent.trim() !== '')",
                vec![],
            )
            .await
            .unwrap()
            == Value::Bool(true);
        shown = (rows, count, error);
        if error && rows == 0 && shown.1 != old_count {
            break;
        }
    }
    let (rows, count, error) = shown;
    assert!(
        error && rows == 0 && count != old_count,
        "after typing \"abc\": the error is {}shown; {rows} old rows are still listed; the count says {count:?} (was {old_count:?})",
        if error { "" } else { "not " }
    );
    c.close().await.unwrap();
}
