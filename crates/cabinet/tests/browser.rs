//! In a real browser (headless Chromium through chromedriver): sign in with the code read
//! from the dev outbox, search a number, open its profile, switch language.
//!
//! Needs Debian's `chromium` and `chromium-driver`. Where they are missing the test says
//! so and passes, unless CABINET_BROWSER_TESTS=1 (as in CI), where it fails.

#[path = "it/helpers.rs"]
#[allow(dead_code)]
mod helpers;

use fantoccini::{ClientBuilder, Locator};
use helpers::*;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

#[path = "it/gateways.rs"]
#[allow(dead_code)]
mod gateways;

#[path = "browser/pages.rs"]
mod pages;

#[path = "browser/behaviour.rs"]
mod behaviour;

struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

async fn start_driver() -> Option<(Driver, u16)> {
    let path = ["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"]
        .into_iter()
        .find(|p| std::path::Path::new(p).exists());
    let Some(path) = path else {
        if std::env::var("CABINET_BROWSER_TESTS").as_deref() == Ok("1") {
            panic!("chromedriver is not installed (apt-get install chromium chromium-driver)");
        }
        eprintln!("SKIPPED: chromedriver is not installed; set CABINET_BROWSER_TESTS=1 to require it");
        return None;
    };
    let port = free_port();
    // Wrapped at once, so that Drop kills and reaps it on every path.
    let driver = Driver(
        Command::new(path).arg(format!("--port={port}")).stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap(),
    );
    for _ in 0..100 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_ok() {
            return Some((driver, port));
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("chromedriver did not start");
}

/// Headless Chromium with a fresh profile; the flags keep it off this closed network.
async fn browser(port: u16, profile_dir: &std::path::Path) -> fantoccini::Client {
    browser_sized(port, profile_dir, 1280, 900).await
}

/// The same, with a window of `width`×`height`.
async fn browser_sized(port: u16, profile_dir: &std::path::Path, width: u32, height: u32) -> fantoccini::Client {
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({
            "binary": "/usr/bin/chromium",
            "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync", format!("--window-size={width},{height}"),
                     format!("--user-data-dir={}", profile_dir.display())]
        }),
    );
    let connector = hyper_util::client::legacy::connect::HttpConnector::new();
    ClientBuilder::new(connector)
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .expect("a browser session")
}

async fn wait_for(c: &fantoccini::Client, css: &str) -> fantoccini::elements::Element {
    c.wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"))
}

async fn wait_text(c: &fantoccini::Client, css: &str, text: &str) {
    for _ in 0..100 {
        if let Ok(el) = c.find(Locator::Css(css)).await
            && el.text().await.unwrap_or_default().contains(text)
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{css} never showed {text:?}; page: {}", c.source().await.unwrap_or_default());
}

#[tokio::test]
async fn sign_in_search_open_a_profile_and_switch_language() {
    let Some((_driver, port)) = start_driver().await else {
        return;
    };
    let app = spawn().await;
    let base = format!("http://{}", app.addr);
    let profile_dir = tempfile::tempdir().unwrap();
    let c = browser(port, profile_dir.path()).await;

    // Sign in: phone and password, then the code from the dev outbox.
    c.goto(&format!("{base}/signin")).await.unwrap();
    wait_for(&c, "#phone").await.send_keys("+7 701 211 21 01").await.unwrap();
    c.find(Locator::Css("#password")).await.unwrap().send_keys(PASSWORD).await.unwrap();
    c.find(Locator::Css("#signin-submit")).await.unwrap().click().await.unwrap();
    wait_for(&c, "#code").await;
    c.goto(&format!("{base}/dev/outbox")).await.unwrap();
    let body = wait_for(&c, "tr.message[data-to='77012112101'] td.body").await.text().await.unwrap();
    let code = code_in(&body);
    c.goto(&format!("{base}/signin/code")).await.unwrap();
    wait_for(&c, "#code").await.send_keys(&code).await.unwrap();
    c.find(Locator::Css("#otp-submit")).await.unwrap().click().await.unwrap();

    // Number management; search by a few digits of a number (htmx swaps the table).
    let first = wait_for(&c, "a.number-link").await.text().await.unwrap();
    let digits = &first[4..9];
    wait_for(&c, "#q").await.send_keys(digits).await.unwrap();
    wait_text(&c, "#numbers-count", "found").await;
    let found = c.find_all(Locator::Css("a.number-link")).await.unwrap();
    assert!(!found.is_empty());
    let target = found[0].text().await.unwrap();
    found[0].click().await.unwrap();

    // The profile.
    let title = wait_for(&c, "#number-title").await.text().await.unwrap();
    let m = cabinet_core::Msisdn::parse(&target).unwrap();
    assert_eq!(title, m.pretty());
    wait_text(&c, "#sim-h", "SIM card and device").await;
    let source = c.source().await.unwrap();
    assert!(target.contains(digits) || source.contains(digits), "the found number or its account contains {digits}");
    std::fs::create_dir_all(concat!(env!("CARGO_MANIFEST_DIR"), "/../../target/screenshots")).unwrap();
    let png = c.screenshot().await.unwrap();
    std::fs::write(concat!(env!("CARGO_MANIFEST_DIR"), "/../../target/screenshots/profile.png"), png).unwrap();

    // Switch language: Russian, then Kazakh, staying on the profile.
    c.find(Locator::Css("a[hreflang='ru']")).await.unwrap().click().await.unwrap();
    wait_text(&c, "#sim-h", "SIM-карта и устройство").await;
    assert_eq!(c.find(Locator::Css("#number-title")).await.unwrap().text().await.unwrap(), m.pretty());
    c.find(Locator::Css("a[hreflang='kk']")).await.unwrap().click().await.unwrap();
    wait_text(&c, "#general-h", "Жалпы").await;
    c.goto(&format!("{base}/numbers")).await.unwrap();
    let png = c.screenshot().await.unwrap();
    std::fs::write(concat!(env!("CARGO_MANIFEST_DIR"), "/../../target/screenshots/numbers.png"), png).unwrap();
    c.close().await.unwrap();
}

#[tokio::test]
async fn block_a_number_and_watch_the_profile_update_by_itself() {
    let Some((_driver, port)) = start_driver().await else { return };
    // A network that takes a second, so that Processing is seen.
    let app = spawn_with(Options { sim_delay_ms: 1000, ..Options::default() }).await;
    let base = format!("http://{}", app.addr);
    let profile_dir = tempfile::tempdir().unwrap();
    let c = browser(port, profile_dir.path()).await;
    c.goto(&format!("{base}/signin")).await.unwrap();
    sign_in_as_carol(&c, &app).await;
    wait_for(&c, "a.number-link").await;

    // The first Active number, from the list's menu: Block → confirm.
    let block_link = wait_for(&c, "a.menu-block").await;
    let href = block_link.attr("href").await.unwrap().unwrap();
    let number = href.trim_start_matches("/numbers/").trim_end_matches("/block").to_string();
    c.goto(&format!("{base}{href}")).await.unwrap();
    wait_text(&c, "#confirm-question", "Are you sure you want to block this number?").await;
    c.find(Locator::Css("#confirm")).await.unwrap().click().await.unwrap();

    // The profile shows Processing, then, without a reload, Blocked.
    wait_text(&c, "#number-state", "Processing").await;
    wait_text(&c, "#number-state", "Blocked").await;
    wait_text(&c, "#op-notice", "The number is blocked").await;
    assert!(c.current_url().await.unwrap().as_str().ends_with(&format!("/numbers/{number}")));
    wait_for(&c, "#unblock").await;
    c.close().await.unwrap();
}

/// On the sign-in page: Carol's phone and password, then the code from her e-mail.
async fn sign_in_as_carol(c: &fantoccini::Client, app: &TestApp) {
    wait_for(c, "#phone").await.send_keys(CAROL).await.unwrap();
    c.find(Locator::Css("#password")).await.unwrap().send_keys(PASSWORD).await.unwrap();
    c.find(Locator::Css("#signin-submit")).await.unwrap().click().await.unwrap();
    wait_for(c, "#code").await;
    let code = code_in(&app.last_message_to(CAROL_EMAIL).await.unwrap().body);
    c.find(Locator::Css("#code")).await.unwrap().send_keys(&code).await.unwrap();
    c.find(Locator::Css("#otp-submit")).await.unwrap().click().await.unwrap();
}

/// Clicks `css`, then the confirmation's "Yes" if one is asked, and waits for the profile's
/// head to report the outcome.
async fn do_and_confirm(c: &fantoccini::Client, css: &str) {
    c.find(Locator::Css(css)).await.unwrap_or_else(|e| panic!("{css}: {e}")).click().await.unwrap();
    if let Ok(yes) = c.wait().at_most(Duration::from_secs(5)).for_element(Locator::Css("#confirm")).await {
        yes.click().await.unwrap();
    }
    for _ in 0..100 {
        // The head replaces itself while it waits (htmx), so a notice found may be gone a
        // moment later: look again.
        if let Ok(notice) = c.find(Locator::Css("#op-notice")).await
            && let Ok(class) = notice.attr("class").await
        {
            let class = class.unwrap_or_default();
            if class.contains("success") {
                return;
            }
            assert!(!class.contains("failure"), "{css}: {}", notice.text().await.unwrap_or_default());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{css}: no outcome");
}

#[tokio::test]
async fn services_bans_forwarding_and_secret_code_in_russian() {
    let Some((_driver, port)) = start_driver().await else { return };
    let app = spawn_with(Options { sim_delay_ms: 300, ..Options::default() }).await;
    let base = format!("http://{}", app.addr);
    let profile_dir = tempfile::tempdir().unwrap();
    let c = browser(port, profile_dir.path()).await;
    c.goto(&format!("{base}/lang/ru?next=/signin")).await.unwrap();
    sign_in_as_carol(&c, &app).await;

    // An active number's profile, from the list's menu.
    let block = wait_for(&c, "a.menu-block").await.attr("href").await.unwrap().unwrap();
    let number = block.trim_start_matches("/numbers/").trim_end_matches("/block").to_string();
    c.goto(&format!("{base}/numbers/{number}")).await.unwrap();
    wait_text(&c, "#general-h", "Общая информация").await;

    // A service switched on from its toggle: "Вы уверены…", then the outcome.
    let toggle = wait_for(&c, "li.service.available a.toggle").await;
    let service = toggle.attr("href").await.unwrap().unwrap();
    toggle.click().await.unwrap();
    wait_text(&c, "#confirm-question", "Вы уверены, что хотите подключить пакет").await;
    c.find(Locator::Css("#confirm")).await.unwrap().click().await.unwrap();
    wait_text(&c, "#op-notice", "подключена").await;
    let code_of = service.split('/').nth(4).unwrap().to_string();
    wait_for(&c, &format!("li.service.active[data-code='{code_of}']")).await;

    // A ban, from its switch under Additional services.
    do_and_confirm(&c, "#ban-switch-hidden_caller_id a.toggle").await;
    // Forwarding: the form, then back on the profile with the outcome.
    c.goto(&format!("{base}/numbers/{number}/forwarding")).await.unwrap();
    c.find(Locator::Css("#fwd-kind option[value='busy']")).await.unwrap().click().await.unwrap();
    c.find(Locator::Css("input[name='direction'][value='service']")).await.unwrap().click().await.unwrap();
    c.find(Locator::Css("#fwd-service option[value='voicemail']")).await.unwrap().click().await.unwrap();
    c.find(Locator::Css("#fwd-add")).await.unwrap().click().await.unwrap();
    wait_text(&c, "#op-notice", "Переадресация при занятости на услугу").await;
    c.goto(&format!("{base}/numbers/{number}/forwarding")).await.unwrap();
    wait_text(&c, "ul.fwd-rules", "Если занято").await;
    // Secret code.
    c.goto(&format!("{base}/numbers/{number}/secret-code/send")).await.unwrap();
    wait_for(&c, "#confirm").await.click().await.unwrap();
    wait_text(&c, "#secret-code", "Отправлен").await;
    assert!(app.last_message_to(&number).await.is_some(), "the code went to the number by SMS");

    // All of it in the actions history.
    c.goto(&format!("{base}/reports/actions")).await.unwrap();
    wait_text(&c, "table.history", "Подключение услуги").await;
    wait_text(&c, "table.history", "Скрытый номер").await;
    wait_text(&c, "table.history", "Переадресация").await;
    wait_text(&c, "table.history", "Отправка секретного кода").await;
    c.close().await.unwrap();
}
