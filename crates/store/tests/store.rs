//! Store behaviour, run on SQLite and (with CABINET_TEST_DATABASE_URL=postgres://…) on
//! PostgreSQL: the same tests, the same SQL.

use cabinet_core::{Bin, Msisdn};
use cabinet_store::testing::test_db;
use cabinet_store::{StoreError, admins, attempts, companies, otp, password_resets, sessions, settings};

const T0: i64 = 1_760_000_000_000;

fn bin(s: &str) -> Bin {
    Bin::parse(s).unwrap()
}

async fn admin(db: &cabinet_store::Db, phone: &str) -> admins::Admin {
    let phone = Msisdn::parse(phone).unwrap();
    admins::create(
        db,
        admins::NewAdmin { phone: &phone, name: "Ussanova Aliya", email: Some("a@example.kz"), password_hash: None },
        T0,
    )
    .await
    .unwrap()
}

#[tokio::test]
async fn migrations_apply_twice_without_harm() {
    let db = test_db().await;
    db.migrate().await.unwrap();
    assert_eq!(companies::count(&db).await.unwrap(), 0);
}

#[tokio::test]
async fn a_bin_and_a_phone_are_unique() {
    let db = test_db().await;
    companies::create(&db, &bin("940740000015"), "ТОО Кабинет", T0).await.unwrap();
    let again = companies::create(&db, &bin("940740000015"), "Other", T0).await;
    assert!(matches!(again, Err(StoreError::Conflict(_))), "{again:?}");
    admin(&db, "77012112101").await;
    let phone = Msisdn::parse("77012112101").unwrap();
    let dup =
        admins::create(&db, admins::NewAdmin { phone: &phone, name: "x", email: None, password_hash: None }, T0).await;
    assert!(matches!(dup, Err(StoreError::Conflict(_))), "{dup:?}");
}

#[tokio::test]
async fn an_administrator_sees_only_granted_companies() {
    let db = test_db().await;
    let a = companies::create(&db, &bin("940740000015"), "ТОО Кабинет", T0).await.unwrap();
    let b = companies::create(&db, &bin("050540001331"), "АО Другая", T0).await.unwrap();
    let alice = admin(&db, "77012112101").await;
    let bob = admin(&db, "77012112102").await;
    admins::grant(&db, &alice, &a, "full", T0).await.unwrap();
    admins::grant(&db, &bob, &b, "full", T0).await.unwrap();
    let mine = admins::companies_of(&db, &alice.id).await.unwrap();
    assert_eq!(mine.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(), ["ТОО Кабинет"]);
    assert!(admins::granted_company(&db, &alice.id, &b.id).await.unwrap().is_none());
    assert_eq!(admins::granted_company(&db, &alice.id, &a.id).await.unwrap().unwrap().bin, "940740000015");
}

#[tokio::test]
async fn sessions_expire_and_are_looked_up_by_hash() {
    let db = test_db().await;
    let alice = admin(&db, "77012112101").await;
    let id = sessions::create(&db, &alice.id, sessions::STAGE_ACTIVE, None, None, T0, 1000).await.unwrap();
    let s = sessions::get(&db, &id, T0 + 999).await.unwrap().unwrap();
    assert_eq!(s.admin_id, alice.id);
    assert_ne!(s.id_hash, id, "the raw id is never stored");
    assert!(sessions::get(&db, &id, T0 + 1000).await.unwrap().is_none());
    assert!(sessions::get(&db, "not-a-session", T0).await.unwrap().is_none());
    sessions::delete(&db, &s.id_hash).await.unwrap();
    assert!(sessions::get(&db, &id, T0).await.unwrap().is_none());
}

#[tokio::test]
async fn a_session_context_follows_what_this_process_changes_at_once() {
    let db = test_db().await;
    let alice = admin(&db, "77012112101").await;
    let a = companies::create(&db, &bin("940740000015"), "ТОО Кабинет", T0).await.unwrap();
    admins::grant(&db, &alice, &a, "viewer", T0).await.unwrap();
    let id = sessions::create(&db, &alice.id, sessions::STAGE_ACTIVE, Some(&a.id), None, T0, 10_000).await.unwrap();
    let ctx = sessions::context(&db, &id, T0).await.unwrap().unwrap();
    assert_eq!((ctx.company_name.as_deref(), ctx.role.as_deref()), (Some("ТОО Кабинет"), Some("viewer")));
    // Remembered for a second, but a change made here is seen by the very next request.
    admins::grant(&db, &alice, &a, "full", T0).await.unwrap();
    assert_eq!(sessions::context(&db, &id, T0).await.unwrap().unwrap().role.as_deref(), Some("full"));
    assert!(sessions::context(&db, &id, T0 + 10_000).await.unwrap().is_none(), "expired, remembered or not");
    sessions::delete(&db, &ctx.id_hash).await.unwrap();
    assert!(sessions::context(&db, &id, T0).await.unwrap().is_none(), "signed out");
}

#[tokio::test]
async fn a_session_ended_by_another_instance_is_refused_within_a_second() {
    let db = test_db().await;
    let alice = admin(&db, "77012112101").await;
    let id = sessions::create(&db, &alice.id, sessions::STAGE_ACTIVE, None, None, T0, 10_000).await.unwrap();
    assert!(sessions::context(&db, &id, T0).await.unwrap().is_some());
    // Another instance signs the session out: this process is not told.
    sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
        .bind(sessions::hash_id(&id))
        .execute(db.pool())
        .await
        .unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    assert!(sessions::context(&db, &id, T0).await.unwrap().is_none());
}

#[tokio::test]
async fn a_one_time_code_works_once_expires_and_locks_after_five_wrong_tries() {
    let db = test_db().await;
    let secret = settings::server_secret(&db).await.unwrap();
    assert_eq!(settings::server_secret(&db).await.unwrap(), secret, "the secret is made once");
    let alice = admin(&db, "77012112101").await;
    let policy = otp::OtpPolicy::default();

    let c = otp::issue(&db, &secret, &alice.id, "sms", "123456", policy, T0).await.unwrap();
    assert_eq!(otp::verify(&db, &secret, &c.id, "654321", T0).await.unwrap(), otp::Verdict::Wrong { attempts_left: 4 });
    assert_eq!(otp::verify(&db, &secret, &c.id, "123456", T0).await.unwrap(), otp::Verdict::Accepted);
    assert_eq!(otp::verify(&db, &secret, &c.id, "123456", T0).await.unwrap(), otp::Verdict::Dead, "single use");

    let c = otp::issue(&db, &secret, &alice.id, "sms", "123456", policy, T0).await.unwrap();
    assert_eq!(
        otp::verify(&db, &secret, &c.id, "123456", T0 + policy.ttl_ms).await.unwrap(),
        otp::Verdict::Dead,
        "expired"
    );

    let c = otp::issue(&db, &secret, &alice.id, "sms", "123456", policy, T0).await.unwrap();
    for left in (1..5).rev() {
        assert_eq!(
            otp::verify(&db, &secret, &c.id, "000000", T0).await.unwrap(),
            otp::Verdict::Wrong { attempts_left: left }
        );
    }
    assert_eq!(otp::verify(&db, &secret, &c.id, "000000", T0).await.unwrap(), otp::Verdict::Dead);
    assert_eq!(
        otp::verify(&db, &secret, &c.id, "123456", T0).await.unwrap(),
        otp::Verdict::Dead,
        "locked after five wrong tries"
    );
}

#[tokio::test]
async fn rate_limit_counts_in_windows() {
    let db = test_db().await;
    let limit = attempts::Limit { max: 3, window_ms: 1000, lock_ms: 0 };
    for _ in 0..3 {
        assert!(attempts::hit(&db, "phone:77012112101", limit, T0).await.unwrap());
    }
    assert!(!attempts::hit(&db, "phone:77012112101", limit, T0 + 10).await.unwrap());
    assert!(attempts::hit(&db, "phone:77012112102", limit, T0 + 10).await.unwrap(), "keys count apart");
    assert!(attempts::hit(&db, "phone:77012112101", limit, T0 + 1000).await.unwrap(), "a new window");
}

#[tokio::test]
async fn expired_security_state_can_be_swept() {
    let db = test_db().await;
    let secret = settings::server_secret(&db).await.unwrap();
    let alice = admin(&db, "77012112101").await;
    let old = sessions::create(&db, &alice.id, sessions::STAGE_ACTIVE, None, None, T0, 10).await.unwrap();
    let live = sessions::create(&db, &alice.id, sessions::STAGE_ACTIVE, None, None, T0, 10_000).await.unwrap();
    assert_eq!(sessions::delete_expired(&db, T0 + 10).await.unwrap(), 1);
    assert!(sessions::get(&db, &live, T0 + 10).await.unwrap().is_some());
    assert!(sessions::get(&db, &old, T0).await.unwrap().is_none(), "the expired row is gone");

    let policy = otp::OtpPolicy::default();
    let c = otp::issue(&db, &secret, &alice.id, "sms", "123456", policy, T0).await.unwrap();
    assert_eq!(otp::delete_expired(&db, T0).await.unwrap(), 0);
    assert_eq!(otp::delete_expired(&db, T0 + policy.ttl_ms).await.unwrap(), 1);
    assert!(otp::get(&db, &c.id).await.unwrap().is_none());

    let limit = attempts::Limit { max: 1, window_ms: 1000, lock_ms: 0 };
    attempts::hit(&db, "k", limit, T0).await.unwrap();
    assert!(!attempts::hit(&db, "k", limit, T0).await.unwrap());
    assert_eq!(attempts::delete_stale(&db, T0).await.unwrap(), 0, "not while it refuses");
    assert_eq!(attempts::delete_stale(&db, T0 + 1000).await.unwrap(), 1);
    assert!(attempts::hit(&db, "k", limit, T0).await.unwrap(), "the counter starts over");
}

/// Runs `n` copies of `f` at once, each on its own task (and pool connection).
async fn at_once<T: Send + 'static, F: Future<Output = T> + Send + 'static>(n: usize, f: impl Fn() -> F) -> Vec<T> {
    let mut set = tokio::task::JoinSet::new();
    for _ in 0..n {
        set.spawn(f());
    }
    set.join_all().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn codes_sent_at_once_spend_five_tries_at_most_and_a_right_code_works_once() {
    let db = test_db().await;
    let secret = settings::server_secret(&db).await.unwrap();
    let alice = admin(&db, "77012112101").await;
    let policy = otp::OtpPolicy::default();

    let c = otp::issue(&db, &secret, &alice.id, "sms", "123456", policy, T0).await.unwrap();
    let verdicts = at_once(20, || {
        let (db, secret, id) = (db.db.clone(), secret.clone(), c.id.clone());
        async move { otp::verify(&db, &secret, &id, "000000", T0).await.unwrap() }
    })
    .await;
    let mut left: Vec<i64> = verdicts
        .iter()
        .filter_map(|v| match v {
            otp::Verdict::Wrong { attempts_left } => Some(*attempts_left),
            _ => None,
        })
        .collect();
    left.sort();
    // Five tries spent, one after another (the fifth answers Dead); the other fifteen refused.
    assert_eq!(left, [1, 2, 3, 4], "{verdicts:?}");
    assert_eq!(verdicts.iter().filter(|v| **v == otp::Verdict::Dead).count(), 16);
    assert_eq!(otp::verify(&db, &secret, &c.id, "123456", T0).await.unwrap(), otp::Verdict::Dead, "out of tries");

    let c = otp::issue(&db, &secret, &alice.id, "sms", "123456", policy, T0).await.unwrap();
    let verdicts = at_once(2, || {
        let (db, secret, id) = (db.db.clone(), secret.clone(), c.id.clone());
        async move { otp::verify(&db, &secret, &id, "123456", T0).await.unwrap() }
    })
    .await;
    assert_eq!(verdicts.iter().filter(|v| **v == otp::Verdict::Accepted).count(), 1, "{verdicts:?}");
}

/// A recovery's code is checked in one statement: wrong codes sent at once spend five tries
/// at most, the right code sent twice at once verifies once, and a verified recovery sets
/// the password once even when two requests try at the same moment. A phone without an
/// account gets a recovery no code opens.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_password_recovery_verifies_once_and_sets_the_password_once_whatever_runs_at_once() {
    use password_resets::{CODE, LINK, ResetPolicy};
    let db = test_db().await;
    let secret = settings::server_secret(&db).await.unwrap();
    let alice = admin(&db, "77012112101").await;
    let policy = ResetPolicy::default();
    let started = password_resets::start(&db, &secret, &alice.phone, Some(&alice.id), CODE, policy, T0).await.unwrap();
    let wrong = if started.secret == "000000" { "000001" } else { "000000" };
    let verdicts = at_once(20, || {
        let (db, secret, cookie, wrong) = (db.db.clone(), secret.clone(), started.cookie.clone(), wrong.to_string());
        async move { password_resets::verify_code(&db, &secret, &cookie, &wrong, policy, T0).await.unwrap() }
    })
    .await;
    assert_eq!(verdicts.iter().filter(|v| matches!(v, otp::Verdict::Wrong { .. })).count(), 4, "{verdicts:?}");
    assert_eq!(verdicts.iter().filter(|v| **v == otp::Verdict::Dead).count(), 16);
    let late = password_resets::verify_code(&db, &secret, &started.cookie, &started.secret, policy, T0).await.unwrap();
    assert_eq!(late, otp::Verdict::Dead, "out of tries: not even the right code");

    let started = password_resets::start(&db, &secret, &alice.phone, Some(&alice.id), CODE, policy, T0).await.unwrap();
    let verdicts = at_once(2, || {
        let (db, secret, cookie, code) =
            (db.db.clone(), secret.clone(), started.cookie.clone(), started.secret.clone());
        async move { password_resets::verify_code(&db, &secret, &cookie, &code, policy, T0).await.unwrap() }
    })
    .await;
    assert_eq!(verdicts.iter().filter(|v| **v == otp::Verdict::Accepted).count(), 1, "{verdicts:?}");
    let set = at_once(2, || {
        let (db, cookie) = (db.db.clone(), started.cookie.clone());
        async move { password_resets::complete(&db, &cookie, "$argon2id$new", true, T0).await.unwrap() }
    })
    .await;
    assert_eq!(set.iter().filter(|s| s.as_deref() == Some(alice.id.as_str())).count(), 1, "{set:?}");
    assert_eq!(set.iter().filter(|s| s.is_none()).count(), 1);
    let stored = admins::by_id(&db, &alice.id).await.unwrap().unwrap();
    assert_eq!(stored.password_hash.as_deref(), Some("$argon2id$new"));

    // A link opens once; a phone without an account has a recovery that nothing opens.
    let link = password_resets::start(&db, &secret, &alice.phone, Some(&alice.id), LINK, policy, T0).await.unwrap();
    let opened = at_once(2, || {
        let (db, token) = (db.db.clone(), link.secret.clone());
        async move { password_resets::open_link(&db, &token, policy, T0).await.unwrap() }
    })
    .await;
    assert_eq!(opened.iter().filter(|c| c.is_some()).count(), 1, "{opened:?}");
    let stranger = password_resets::start(&db, &secret, "77019998877", None, CODE, policy, T0).await.unwrap();
    let verdict = password_resets::verify_code(&db, &secret, &stranger.cookie, &stranger.secret, policy, T0).await;
    assert_eq!(verdict.unwrap(), otp::Verdict::Wrong { attempts_left: 4 }, "the right code opens nothing");
    let late = T0 + policy.link_ttl_ms + 1;
    let expired = password_resets::start(&db, &secret, &alice.phone, Some(&alice.id), LINK, policy, T0).await.unwrap();
    assert_eq!(password_resets::open_link(&db, &expired.secret, policy, late).await.unwrap(), None, "expired");
}

/// A signed-in session ends after its idle time without use, and at its absolute limit
/// however busy: each use moves its end on, never past sign-in + the limit.
#[tokio::test]
async fn a_session_lives_on_while_used_but_not_idle_and_never_past_its_absolute_limit() {
    let db = test_db().await;
    let alice = admin(&db, "77012112101").await;
    let (minute, idle, max) = (60_000, 30 * 60_000, 12 * 3_600_000);
    let id = sessions::create(&db, &alice.id, sessions::STAGE_ACTIVE, None, None, T0, idle).await.unwrap();
    let hash = sessions::hash_id(&id);
    // Used after 20 minutes: it lives to 50.
    sessions::extend(&db, &hash, T0 + 20 * minute + idle, max).await.unwrap();
    assert!(sessions::get(&db, &id, T0 + 49 * minute).await.unwrap().is_some());
    // Then left alone for 30 minutes: gone.
    assert!(sessions::get(&db, &id, T0 + 50 * minute).await.unwrap().is_none(), "idle timeout");

    // Kept busy to the end: the last use cannot carry it past sign-in + 12 hours.
    let id = sessions::create(&db, &alice.id, sessions::STAGE_ACTIVE, None, None, T0, idle).await.unwrap();
    let hash = sessions::hash_id(&id);
    let mut now = T0;
    while now < T0 + max {
        sessions::extend(&db, &hash, now + idle, max).await.unwrap();
        now += 10 * minute;
    }
    assert!(sessions::get(&db, &id, T0 + max - 1).await.unwrap().is_some());
    assert!(sessions::get(&db, &id, T0 + max).await.unwrap().is_none(), "absolute timeout");
}

/// Employees' and operator staff's sessions keep the same timeouts, in their own tables;
/// an employee's end with the number's secret code, and staff's by sign-out or housekeeping.
#[tokio::test]
async fn employee_and_staff_sessions_time_out_and_end_like_administrators() {
    use cabinet_store::{employee_sessions, operator_staff, secret_codes};
    let db = test_db().await;
    let (minute, idle, max) = (60_000, 30 * 60_000, 12 * 3_600_000);
    let company = companies::create(&db, &bin("940740000015"), "ТОО Кабинет", T0).await.unwrap();
    let n = "77012115299";
    let id = employee_sessions::create(&db, &company.id, n, T0, idle).await.unwrap();
    let found = employee_sessions::get(&db, &id, T0 + minute).await.unwrap().expect("a live session");
    assert_eq!((found.msisdn.as_str(), found.company_bin.as_str()), (n, "940740000015"));
    employee_sessions::extend(&db, &found.id_hash, T0 + max + idle, max).await.unwrap();
    assert!(employee_sessions::get(&db, &id, T0 + max - 1).await.unwrap().is_some());
    assert!(employee_sessions::get(&db, &id, T0 + max).await.unwrap().is_none(), "absolute timeout");
    // A new code for the number ends its sessions at once; another number's stay.
    let alice = admin(&db, "77012112101").await;
    let who = cabinet_store::actions::Actor {
        company_id: &company.id,
        admin_id: &alice.id,
        admin_name: &alice.name,
        admin_phone: &alice.phone,
    };
    let (mine, other) = (
        employee_sessions::create(&db, &company.id, n, T0, idle).await.unwrap(),
        employee_sessions::create(&db, &company.id, "77012115300", T0, idle).await.unwrap(),
    );
    secret_codes::issue(&db, "secret", &who, n, "12345678", "code", T0).await.unwrap();
    assert!(employee_sessions::get(&db, &mine, T0 + 1).await.unwrap().is_none(), "ended by the new code");
    assert!(employee_sessions::get(&db, &other, T0 + 1).await.unwrap().is_some());
    assert_eq!(
        secret_codes::company_of(&db, "secret", n, "12345678").await.unwrap(),
        Some((company.id.clone(), "940740000015".to_string()))
    );
    assert_eq!(secret_codes::company_of(&db, "secret", n, "12345679").await.unwrap(), None);

    let staff = operator_staff::create(&db, "aigerim", "Айгерим", "hash", T0).await.unwrap();
    assert!(matches!(operator_staff::create(&db, "aigerim", "Другая", "hash", T0).await, Err(StoreError::Conflict(_))));
    let sid = operator_staff::start_session(&db, &staff.id, T0, idle).await.unwrap();
    let s = operator_staff::session(&db, &sid, T0 + minute).await.unwrap().expect("a live staff session");
    assert_eq!(s.name, "Айгерим");
    assert!(operator_staff::session(&db, &sid, T0 + idle).await.unwrap().is_none(), "idle timeout");
    assert_eq!(operator_staff::delete_expired(&db, T0 + idle).await.unwrap(), 1);
    assert_eq!(employee_sessions::delete_expired(&db, T0 + max + idle).await.unwrap(), 1, "the other number's");
}

/// A decided request's letter is erased after a while; a waiting one's never; the decision
/// stays.
#[tokio::test]
async fn decided_requests_lose_their_letters_waiting_ones_keep_them() {
    use cabinet_store::{access_requests, outbox};
    let db = test_db().await;
    let b = bin("940740000015");
    fn request<'a>(b: &'a Bin, phone: &'a Msisdn) -> access_requests::NewRequest<'a> {
        access_requests::NewRequest {
            bin: b,
            company_name: "ТОО Кабинет",
            admin_name: "Дана",
            phone,
            email: "dana@example.kz",
            locale: "en",
            letter_name: "letter.pdf",
            letter: b"%PDF-1.4 %%EOF",
        }
    }
    let (dana, erzhan) = (Msisdn::parse("77015557001").unwrap(), Msisdn::parse("77015557002").unwrap());
    let decided = access_requests::submit(&db, &request(&b, &dana), T0).await.unwrap().expect("stored");
    let waiting = access_requests::submit(&db, &request(&b, &erzhan), T0).await.unwrap().expect("stored");
    assert_eq!(access_requests::submit(&db, &request(&b, &erzhan), T0).await.unwrap(), None, "one waiting");
    let message = outbox::Outgoing::sms("77015557001", "rejected");
    assert!(access_requests::reject(&db, &decided, "staff", "No head's signature", &message, T0).await.unwrap());
    assert!(!access_requests::reject(&db, &decided, "staff", "again", &message, T0).await.unwrap(), "once");
    assert_eq!(access_requests::purge_letters(&db, T0).await.unwrap(), 0, "not yet");
    assert_eq!(access_requests::purge_letters(&db, T0 + 1).await.unwrap(), 1);
    assert!(access_requests::letter(&db, &decided).await.unwrap().is_none());
    assert!(access_requests::letter(&db, &waiting).await.unwrap().is_some());
    let kept = access_requests::get(&db, &decided).await.unwrap().unwrap();
    assert_eq!((kept.state.as_str(), kept.reason.as_deref()), ("rejected", Some("No head's signature")));
}

/// A process starting while another holds the write lock (a long transaction, a busy
/// worker) reads the existing secret without waiting for the lock: it used to insert first,
/// wait out busy_timeout on SQLite and exit.
#[tokio::test]
async fn the_server_secret_is_read_while_another_writer_holds_the_lock() {
    let db = test_db().await;
    let first = settings::server_secret(&db).await.unwrap();
    let mut busy = db.begin_write().await.unwrap();
    sqlx::query("UPDATE companies SET name = name").execute(&mut *busy).await.unwrap();
    assert_eq!(settings::server_secret(&db).await.unwrap(), first, "read beside the writer");
    busy.rollback().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn attempts_made_at_once_are_counted_each() {
    let db = test_db().await;
    let limit = attempts::Limit { max: 5, window_ms: 60_000, lock_ms: 0 };
    let allowed = at_once(20, || {
        let db = db.db.clone();
        async move { attempts::hit(&db, "phone:77012112101", limit, T0).await.unwrap() }
    })
    .await;
    assert_eq!(allowed.iter().filter(|ok| **ok).count(), 5, "{allowed:?}");
}

#[tokio::test]
async fn a_key_over_its_limit_stays_locked_for_a_while_and_successes_do_not_count() {
    use attempts::Take::{Allowed, Locked};
    let db = test_db().await;
    let limit = attempts::Limit { max: 2, window_ms: 1000, lock_ms: 5000 };
    assert_eq!(attempts::take(&db, "k", limit, T0).await.unwrap(), Allowed);
    attempts::give_back(&db, "k", T0).await.unwrap();
    assert_eq!(attempts::take(&db, "k", limit, T0).await.unwrap(), Allowed);
    assert_eq!(attempts::take(&db, "k", limit, T0 + 1).await.unwrap(), Allowed, "the success was given back");
    assert_eq!(attempts::take(&db, "k", limit, T0 + 2).await.unwrap(), Locked { until_ms: T0 + 5002, first: true });
    assert_eq!(attempts::take(&db, "k", limit, T0 + 3).await.unwrap(), Locked { until_ms: T0 + 5002, first: false });
    assert_eq!(attempts::locked_until(&db, "k", T0 + 3).await.unwrap(), Some(T0 + 5002));
    assert_eq!(attempts::locked_until(&db, "other", T0 + 3).await.unwrap(), None);
    assert!(!attempts::take(&db, "k", limit, T0 + 2000).await.unwrap().allowed(), "locked past the window");
    assert_eq!(attempts::delete_stale(&db, T0 + 3000).await.unwrap(), 0, "a lock is not swept");
    assert_eq!(attempts::take(&db, "k", limit, T0 + 5002).await.unwrap(), Allowed, "then a fresh window");
    assert_eq!(attempts::take(&db, "k", limit, T0 + 5003).await.unwrap(), Allowed);
    assert_eq!(attempts::locked_until(&db, "k", T0 + 5003).await.unwrap(), None);
}
