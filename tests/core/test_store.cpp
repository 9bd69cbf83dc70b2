// The store's domain API: every entity's create/read/update/delete, search
// and order, the trash, revision thinning, feedback queries and backups.
#include "check.h"
#include "store_test_support.h"
#include "core/store/store.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

using namespace fabula;
namespace fs = std::filesystem;
using namespace store_test;

namespace {


// A clock the test moves by hand; starts on a week boundary so the
// thinning buckets line up with round ages.
struct FakeClock {
    TimeMs t = 2800 * 7 * kDayMs;
    StoreOptions options() {
        StoreOptions o;
        o.clock = [this] { return t; };
        return o;
    }
};

std::vector<std::string> titles(const std::vector<DraftSummary>& list) {
    std::vector<std::string> out;
    for (const auto& d : list) out.push_back(d.title);
    return out;
}

std::string join(const std::vector<std::string>& v) {
    std::string s;
    for (const auto& x : v) s += (s.empty() ? "" : ",") + x;
    return s;
}


} // namespace

TEST_CASE(word_counts) {
    CHECK_EQ(count_words(""), 0);
    CHECK_EQ(count_words("   \n\t "), 0);
    CHECK_EQ(count_words("one"), 1);
    CHECK_EQ(count_words("  one  two\nthree\t"), 3);
    CHECK_EQ(count_words("well-known don't stop."), 3);
    CHECK_EQ(count_words("a\r\nb"), 2);
    CHECK_EQ(count_words("caf\xc3\xa9 na\xc3\xafve"), 2);                // café naïve
    CHECK_EQ(count_words("10\xc2\xa0km"), 2);                            // no-break space
    CHECK_EQ(count_words("\xe6\x97\xa5\xe6\x9c\xac\xe3\x80\x80x"), 2); // ideographic space
    CHECK_EQ(count_words("one\xe2\x80\xa8two\xe2\x80\xa9three"), 3);    // line/paragraph separators
    CHECK_EQ(count_words("\xe2\x80\x83" "em\xe2\x80\x83space"), 2);      // em spaces
    CHECK_EQ(count_words("bad\xff byte"), 2);
    CHECK_EQ(count_words("\xff"), 1);
    CHECK_EQ(count_words("cut\xe2\x80"), 1); // a truncated sequence is part of the word
}

TEST_CASE(case_folding) {
    CHECK_EQ(fold_case("Hello WORLD 42"), std::string("hello world 42"));
    CHECK_EQ(fold_case("\xc3\x89LISE"), std::string("\xc3\xa9lise"));                    // ÉLISE
    CHECK_EQ(fold_case("\xc5\x81\xc3\x93""D\xc5\xb9"), std::string("\xc5\x82\xc3\xb3""d\xc5\xba")); // ŁÓDŹ
    CHECK_EQ(fold_case("\xce\xa3\xce\x9f\xce\xa6\xce\x8a\xce\x91"),
             std::string("\xcf\x83\xce\xbf\xcf\x86\xce\xaf\xce\xb1")); // ΣΟΦΊΑ
    CHECK_EQ(fold_case("\xcf\x82"), std::string("\xcf\x83"));          // final sigma
    CHECK_EQ(fold_case("\xd0\x9f\xd0\xa0\xd0\x98\xd0\x81\xd0\x9c"),
             std::string("\xd0\xbf\xd1\x80\xd0\xb8\xd1\x91\xd0\xbc")); // ПРИЁМ
    CHECK_EQ(fold_case("\xe1\xba\xa0"), std::string("\xe1\xba\xa1"));  // Vietnamese Ạ
    CHECK_EQ(fold_case("\xc4\xb0"), std::string("\xc4\xb0"));          // İ has no simple fold
    CHECK_EQ(fold_case("\xc3\x97\xc3\x9f"), std::string("\xc3\x97\xc3\x9f")); // × ß unchanged
    CHECK_EQ(fold_case("A\xff\xc3"), std::string("a\xff\xc3"));       // invalid bytes kept
}

TEST_CASE(drafts_create_read_update) {
    TempDir dir;
    FakeClock clock;
    Store store(dir.file("fabula.db"), clock.options());
    CHECK_EQ(store.schema_version(), 6);

    auto id = store.create_draft("Chapter One", "It was a dark and stormy night.");
    auto d = store.get_draft(id);
    CHECK(d.has_value());
    CHECK_EQ(d->title, std::string("Chapter One"));
    CHECK_EQ(d->body, std::string("It was a dark and stormy night."));
    CHECK_EQ(d->word_count, 7);
    CHECK_EQ(d->created_at, clock.t);
    CHECK_EQ(d->updated_at, clock.t);
    CHECK(!d->trashed_at);

    auto empty = store.create_draft("Empty");
    CHECK_EQ(must(store.get_draft(empty)).body, std::string(""));
    CHECK_EQ(must(store.get_draft(empty)).word_count, 0);

    auto created = clock.t;
    clock.t += 1000;
    CHECK(store.update_draft_body(id, "It was a bright cold day in April."));
    d = store.get_draft(id);
    CHECK_EQ(d->word_count, 8);
    CHECK_EQ(d->updated_at, clock.t);
    CHECK_EQ(d->created_at, created);

    // Autosave of unchanged text must not reorder the draft list.
    clock.t += 1000;
    CHECK(!store.update_draft_body(id, "It was a bright cold day in April."));
    CHECK_EQ(must(store.get_draft(id)).updated_at, clock.t - 1000);

    clock.t += 1000;
    store.rename_draft(id, "Chapter 1");
    d = store.get_draft(id);
    CHECK_EQ(d->title, std::string("Chapter 1"));
    CHECK_EQ(d->updated_at, clock.t);

    // Unicode and NUL-free binary-ish text round-trips byte for byte.
    std::string odd = "na\xc3\xafve \xf0\x9f\x93\x9a\n\ttabs and 'quotes' \"here\" -- ; DROP TABLE drafts;";
    store.update_draft_body(empty, odd);
    CHECK_EQ(must(store.get_draft(empty)).body, odd);

    CHECK(!store.get_draft(9999).has_value());
    CHECK(error_kind([&] { store.rename_draft(9999, "x"); }) == StoreError::Kind::NotFound);
    CHECK(error_kind([&] { store.update_draft_body(9999, "x"); }) == StoreError::Kind::NotFound);
    CHECK_THROWS_WITH(StoreError, store.rename_draft(9999, "x"), "draft 9999 does not exist");

    // Everything survives closing and reopening.
    store = Store(dir.file("fabula.db"), clock.options());
    CHECK_EQ(must(store.get_draft(empty)).body, odd);
    CHECK_EQ(must(store.get_draft(id)).title, std::string("Chapter 1"));
}

TEST_CASE(drafts_list_order_and_search) {
    TempDir dir;
    FakeClock clock;
    Store store(dir.file("fabula.db"), clock.options());
    auto a = store.create_draft("Alpha", "The \xc3\x89lise chapter. 100% sure.");
    clock.t += 10;
    auto b = store.create_draft("Beta", "snake_case and such");
    clock.t += 10;
    auto c = store.create_draft("Gamma notes", "nothing special");
    (void)b;

    CHECK_EQ(join(titles(store.list_drafts())), std::string("Gamma notes,Beta,Alpha"));
    clock.t += 10;
    store.update_draft_body(a, "The \xc3\x89lise chapter. 100% sure, revised.");
    CHECK_EQ(join(titles(store.list_drafts())), std::string("Alpha,Gamma notes,Beta"));

    auto summary = store.list_drafts()[0];
    CHECK_EQ(summary.id, a);
    CHECK_EQ(summary.updated_at, clock.t);
    CHECK_EQ(summary.word_count, 6);

    // Title or body, case-insensitive, non-ASCII included.
    CHECK_EQ(join(titles(store.list_drafts("gamma"))), std::string("Gamma notes"));
    CHECK_EQ(join(titles(store.list_drafts("SPECIAL"))), std::string("Gamma notes"));
    CHECK_EQ(join(titles(store.list_drafts("\xc3\xa9LISE"))), std::string("Alpha")); // éLISE
    CHECK_EQ(join(titles(store.list_drafts("a"))), std::string("Alpha,Gamma notes,Beta"));
    CHECK(store.list_drafts("zebra").empty());
    // % and _ are literal characters, not LIKE wildcards.
    CHECK_EQ(join(titles(store.list_drafts("0%"))), std::string("Alpha"));
    CHECK_EQ(join(titles(store.list_drafts("_"))), std::string("Beta"));
    CHECK(store.list_drafts("1%s").empty());
    CHECK(store.list_drafts("snake%case").empty());
    CHECK(store.list_drafts("snake_c_se").empty());

    // Ties in updated_at fall back to the newer id, so the order is stable.
    clock.t += 10;
    auto d1 = store.create_draft("Tie 1");
    auto d2 = store.create_draft("Tie 2");
    auto list = store.list_drafts();
    CHECK_EQ(list[0].id, d2);
    CHECK_EQ(list[1].id, d1);
    (void)c;
}

TEST_CASE(drafts_trash_restore_purge) {
    TempDir dir;
    FakeClock clock;
    Store store(dir.file("fabula.db"), clock.options());
    auto keep = store.create_draft("Keep", "stays");
    auto gone = store.create_draft("Gone", "goes to the trash");
    store.add_revision(gone, "an older text", RevisionKind::Manual);
    NewContinuation nc;
    nc.draft_id = gone;
    nc.context_text = "goes";
    nc.continuation_text = " away";
    auto cont = store.record_continuation(nc);
    store.rate(cont, 1, 4);

    clock.t += 100;
    store.trash_draft(gone);
    CHECK_EQ(join(titles(store.list_drafts())), std::string("Keep"));
    auto trash = store.list_drafts({}, DraftList::Trashed);
    CHECK_EQ(trash.size(), std::size_t(1));
    CHECK_EQ(trash[0].id, gone);
    CHECK(trash[0].trashed_at == clock.t);
    CHECK(store.get_draft(gone)->trashed_at == clock.t);
    CHECK(store.list_drafts("trash", DraftList::Trashed).size() == 1);
    CHECK(store.list_drafts("trash").empty());

    // Trashing again keeps the first time.
    clock.t += 100;
    store.trash_draft(gone);
    CHECK(store.get_draft(gone)->trashed_at == clock.t - 100);

    store.restore_draft(gone);
    CHECK_EQ(join(titles(store.list_drafts())), std::string("Gone,Keep"));
    CHECK(store.list_drafts({}, DraftList::Trashed).empty());
    CHECK(store.list_revisions(gone).size() == 1);

    // Purging is refused outside the trash.
    CHECK(error_kind([&] { store.purge_draft(gone); }) == StoreError::Kind::Invalid);
    CHECK(store.get_draft(gone).has_value());
    CHECK(error_kind([&] { store.purge_draft(777); }) == StoreError::Kind::NotFound);
    CHECK(error_kind([&] { store.trash_draft(777); }) == StoreError::Kind::NotFound);
    CHECK(error_kind([&] { store.restore_draft(777); }) == StoreError::Kind::NotFound);

    store.trash_draft(gone);
    store.purge_draft(gone);
    CHECK(!store.get_draft(gone).has_value());
    CHECK(store.list_revisions(gone).empty());
    CHECK(!store.get_continuation(cont).has_value());
    CHECK(store.list_rated_continuations(-1).empty());
    CHECK_EQ(store.database().query_int("SELECT count(*) FROM ratings"), 0);
    CHECK_EQ(store.database().query_int("SELECT count(*) FROM revisions"), 0);
    CHECK(store.get_draft(keep).has_value());

    // Emptying the trash takes only what was trashed before the cutoff.
    auto old1 = store.create_draft("Old 1");
    auto old2 = store.create_draft("Old 2");
    store.trash_draft(old1);
    clock.t += kDayMs;
    store.trash_draft(old2);
    CHECK_EQ(store.purge_trash(clock.t - kHourMs), 1);
    CHECK(!store.get_draft(old1).has_value());
    CHECK(store.get_draft(old2).has_value());
    CHECK(store.get_draft(keep).has_value());
    CHECK_EQ(store.purge_trash(clock.t + 1), 1);
    CHECK_EQ(store.list_drafts().size(), std::size_t(1));
}

TEST_CASE(drafts_duplicate) {
    TempDir dir;
    FakeClock clock;
    Store store(dir.file("fabula.db"), clock.options());
    auto id = store.create_draft("Original", "one two three");
    store.add_revision(id, "one", RevisionKind::Manual);
    clock.t += 5000;
    auto copy = store.duplicate_draft(id, "Original (copy)");
    CHECK(copy != id);
    auto d = store.get_draft(copy);
    CHECK_EQ(d->title, std::string("Original (copy)"));
    CHECK_EQ(d->body, std::string("one two three"));
    CHECK_EQ(d->word_count, 3);
    CHECK_EQ(d->created_at, clock.t);
    CHECK(store.list_revisions(copy).empty());
    CHECK_EQ(store.list_revisions(id).size(), std::size_t(1));
    // The two are independent afterwards.
    store.update_draft_body(copy, "changed");
    CHECK_EQ(must(store.get_draft(id)).body, std::string("one two three"));
    CHECK(error_kind([&] { store.duplicate_draft(4242, "x"); }) == StoreError::Kind::NotFound);
    CHECK_EQ(store.list_drafts().size(), std::size_t(2));
}

TEST_CASE(revisions_add_list_restore) {
    TempDir dir;
    FakeClock clock;
    Store store(dir.file("fabula.db"), clock.options());
    auto id = store.create_draft("D", "first text");
    auto r1 = store.add_revision(id, "first text", RevisionKind::Autosave);
    clock.t += 1000;
    auto r2 = store.add_revision(id, "second text here", RevisionKind::Manual);
    store.update_draft_body(id, "third and current text");

    auto list = store.list_revisions(id);
    CHECK_EQ(list.size(), std::size_t(2));
    CHECK_EQ(list[0].id, r2);
    CHECK(list[0].kind == RevisionKind::Manual);
    CHECK_EQ(list[0].word_count, 3);
    CHECK_EQ(list[0].created_at, clock.t);
    CHECK_EQ(list[1].id, r1);
    CHECK(list[1].kind == RevisionKind::Autosave);

    auto rev = store.get_revision(r2);
    CHECK(rev.has_value());
    CHECK_EQ(rev->text, std::string("second text here"));
    CHECK_EQ(rev->draft_id, id);
    CHECK(!store.get_revision(999).has_value());
    CHECK(error_kind([&] { store.add_revision(999, "x", RevisionKind::Manual); }) == StoreError::Kind::NotFound);

    clock.t += 1000;
    store.restore_revision(r1);
    CHECK_EQ(must(store.get_draft(id)).body, std::string("first text"));
    CHECK_EQ(must(store.get_draft(id)).word_count, 2);
    list = store.list_revisions(id);
    CHECK_EQ(list.size(), std::size_t(3));
    CHECK(list[0].kind == RevisionKind::BeforeRestore);
    CHECK_EQ(must(store.get_revision(list[0].id)).text, std::string("third and current text"));

    // Restoring what is already the body adds nothing.
    store.restore_revision(r1);
    CHECK_EQ(store.list_revisions(id).size(), std::size_t(3));
    CHECK(error_kind([&] { store.restore_revision(12345); }) == StoreError::Kind::NotFound);
}

TEST_CASE(revisions_maybe_snapshot) {
    TempDir dir;
    FakeClock clock;
    Store store(dir.file("fabula.db"), clock.options());
    auto id = store.create_draft("D", "");
    TimeMs t = clock.t;
    auto first = store.maybe_snapshot(id, "v1", t);
    CHECK(first.has_value());
    CHECK_EQ(must(store.get_revision(*first)).created_at, t);
    CHECK(!store.maybe_snapshot(id, "v2", t + 4 * kMinuteMs).has_value()); // too soon
    CHECK(!store.maybe_snapshot(id, "v1", t + 6 * kMinuteMs).has_value()); // unchanged
    auto second = store.maybe_snapshot(id, "v2", t + 6 * kMinuteMs);
    CHECK(second.has_value());
    CHECK(!store.maybe_snapshot(id, "v3", t + 7 * kMinuteMs, 2 * kMinuteMs).has_value());
    auto third = store.maybe_snapshot(id, "v3", t + 8 * kMinuteMs, 2 * kMinuteMs);
    CHECK(third.has_value());
    // It thinned as it went: v2 (+6 min) and v3 (+8 min) share a 5-minute
    // bucket, whose newest stays.
    auto revs = store.list_revisions(id);
    CHECK_EQ(revs.size(), std::size_t(2));
    CHECK_EQ(revs[0].id, *third);
    CHECK_EQ(revs[1].id, *first);
    CHECK(!store.get_revision(*second).has_value());
    // A manual revision counts as the latest one too.
    store.add_revision(id, "v4", RevisionKind::Manual); // at clock.t == t
    CHECK(error_kind([&] { store.maybe_snapshot(31337, "x", t); }) == StoreError::Kind::NotFound);
}

// The tiers, worked out by hand. now is a week boundary (so also a day, hour
// and 5-minute boundary); a revision of age a sits in the bucket holding
// now - a, buckets being half-open [start, start + length), and goes when a
// newer revision lies in that bucket too.
TEST_CASE(revisions_thinning_policy) {
    TempDir dir;
    FakeClock clock;
    Store store(dir.file("fabula.db"), clock.options());
    auto id = store.create_draft("D", "");
    const TimeMs now = clock.t;
    auto at = [&](TimeMs age, RevisionKind kind) {
        clock.t = now - age;
        return store.add_revision(id, "text at age " + std::to_string(age), kind);
    };
    int total = 0;
    // Last hour, every minute, ages 0..59 min, 5-minute buckets {0}, {1..5},
    // ..., {51..55}, {56..59}: 13 kept. A manual save at 30 s is the newest
    // of the {1..5} bucket, so those 5 autosaves go and it stays: still 13.
    for (int m = 0; m < 60; ++m, ++total) at(m * kMinuteMs, RevisionKind::Autosave);
    auto manual_recent = at(30 * 1000, RevisionKind::Manual);
    ++total;
    // Next hour, every minute, ages 60..119, hour buckets {0..60} and
    // {61..120}: age 60 shares its hour with the newer ones above, so 1 kept.
    for (int m = 60; m < 120; ++m, ++total) at(m * kMinuteMs, RevisionKind::Autosave);
    // Days 1..3, hourly, ages 24h..71h, day buckets {0..24h}, {25h..48h},
    // {49h..72h}: 24h goes with the first day, 2 kept.
    for (int h = 24; h < 72; ++h, ++total) at(h * kHourMs, RevisionKind::Autosave);
    // Beyond 30 days, daily, ages 30..50 d, weeks {29..35}, {36..42},
    // {43..49}, {50..56}: 4 kept, plus a before-restore at 45.5 d that
    // thinning never removes: 5.
    for (int dd = 30; dd <= 50; ++dd, ++total) at(dd * kDayMs, RevisionKind::Autosave);
    auto manual_old = at(45 * kDayMs + 12 * kHourMs, RevisionKind::BeforeRestore);
    ++total;
    CHECK_EQ(store.list_revisions(id).size(), std::size_t(total));

    const int expected_kept = 13 + 1 + 2 + 5;
    CHECK_EQ(store.thin_revisions(id, now), total - expected_kept);
    auto kept = store.list_revisions(id);
    CHECK_EQ(kept.size(), std::size_t(expected_kept));
    std::set<std::int64_t> kept_ids;
    std::set<TimeMs> kept_ages;
    for (const auto& r : kept) {
        kept_ids.insert(r.id);
        kept_ages.insert(now - r.created_at);
    }
    CHECK(kept_ids.count(manual_recent) == 1);
    CHECK(kept_ids.count(manual_old) == 1);
    // The newest of each bucket is the one kept.
    for (TimeMs age : {0 * kMinuteMs, 6 * kMinuteMs, 56 * kMinuteMs, 61 * kMinuteMs, 25 * kHourMs,
                       49 * kHourMs, 30 * kDayMs, 36 * kDayMs, 43 * kDayMs, 50 * kDayMs})
        CHECK(kept_ages.count(age) == 1);
    CHECK(kept_ages.count(1 * kMinuteMs) == 0);
    CHECK(kept_ages.count(60 * kMinuteMs) == 0);
    CHECK(kept_ages.count(24 * kHourMs) == 0);
    CHECK(kept_ages.count(57 * kMinuteMs) == 0);
    CHECK(kept_ages.count(62 * kMinuteMs) == 0);
    CHECK(kept_ages.count(26 * kHourMs) == 0);
    CHECK(kept_ages.count(31 * kDayMs) == 0);

    // Thinning again at the same time changes nothing.
    CHECK_EQ(store.thin_revisions(id, now), 0);

    // The hard cap removes the oldest autosaves first; manual and
    // before-restore revisions stay while any autosave is left.
    RevisionPolicy capped;
    capped.max_revisions = 10;
    CHECK_EQ(store.thin_revisions(id, now, capped), expected_kept - 10);
    kept = store.list_revisions(id);
    CHECK_EQ(kept.size(), std::size_t(10));
    int autosaves = 0;
    for (const auto& r : kept) autosaves += r.kind == RevisionKind::Autosave;
    CHECK_EQ(autosaves, 8);
    CHECK(kept.back().id == manual_old);
    CHECK_EQ(now - kept[0].created_at, 0); // the newest
    for (std::size_t i = 0; i + 1 < kept.size(); ++i) {
        // The 8 autosaves left are the newest 8 (ages 0, 6, 11, ... min).
        if (kept[i].kind == RevisionKind::Autosave) CHECK(now - kept[i].created_at <= 36 * kMinuteMs);
    }

    // With only non-autosaves left, the cap takes the oldest of them.
    auto id2 = store.create_draft("D2", "");
    std::vector<std::int64_t> manual;
    for (int i = 0; i < 5; ++i) {
        clock.t = now - (10 - i) * kMinuteMs;
        manual.push_back(store.add_revision(id2, "m" + std::to_string(i), RevisionKind::Manual));
    }
    capped.max_revisions = 3;
    CHECK_EQ(store.thin_revisions(id2, now, capped), 2);
    kept = store.list_revisions(id2);
    CHECK_EQ(kept.size(), std::size_t(3));
    CHECK_EQ(kept[0].id, manual[4]);
    CHECK_EQ(kept[2].id, manual[2]);
    // Other drafts' revisions are untouched.
    CHECK_EQ(store.list_revisions(id).size(), std::size_t(10));
}

// Autosaving every minute for three days through maybe_snapshot (which thins
// as it goes) keeps exactly what one thinning at the end would keep.
TEST_CASE(revisions_thinning_as_time_passes) {
    TempDir dir;
    FakeClock clock;
    Store store(dir.file("fabula.db"), clock.options());
    // Thousands of commits; durability is not what this test is about.
    store.database().exec("PRAGMA synchronous = OFF");
    auto live = store.create_draft("live", "");
    auto batch = store.create_draft("batch", "");
    const TimeMs start = clock.t;
    const int minutes = 3 * 24 * 60;
    for (int m = 0; m < minutes; ++m) {
        TimeMs t = start + m * kMinuteMs;
        std::string text = "v" + std::to_string(m);
        CHECK(store.maybe_snapshot(live, text, t, kMinuteMs).has_value());
        clock.t = t;
        store.add_revision(batch, text, RevisionKind::Autosave);
    }
    TimeMs end = start + minutes * kMinuteMs;
    store.thin_revisions(live, end);
    store.thin_revisions(batch, end);
    auto a = store.list_revisions(live);
    auto b = store.list_revisions(batch);
    CHECK_EQ(a.size(), b.size());
    for (std::size_t i = 0; i < std::min(a.size(), b.size()); ++i) CHECK_EQ(a[i].created_at, b[i].created_at);
    // About 12 in the last hour, 23 more hours, 2 more days: not 4320.
    CHECK(a.size() >= 30);
    CHECK(a.size() <= 45);
}

TEST_CASE(models_crud) {
    TempDir dir;
    FakeClock clock;
    Store store(dir.file("fabula.db"), clock.options());
    const std::string sha(64, 'a');
    auto m1 = store.add_or_update_model("Zeta", "/models/zeta", sha);
    clock.t += 10;
    auto m2 = store.add_or_update_model("Alpha", "/models/alpha");
    auto list = store.list_models();
    CHECK_EQ(list.size(), std::size_t(2));
    CHECK_EQ(list[0].name, std::string("Alpha"));
    CHECK_EQ(list[1].id, m1);
    CHECK_EQ(list[1].weights_sha256, sha);
    CHECK_EQ(list[1].path, std::string("/models/zeta"));
    CHECK_EQ(list[0].weights_sha256, std::string(""));

    // Same path: an update, same id, added_at kept; checksum lower-cased.
    auto added = store.get_model(m1)->added_at;
    clock.t += 10;
    auto again = store.add_or_update_model("Zeta v2", "/models/zeta", std::string(64, 'B'));
    CHECK_EQ(again, m1);
    auto m = store.get_model(m1);
    CHECK_EQ(m->name, std::string("Zeta v2"));
    CHECK_EQ(m->weights_sha256, std::string(64, 'b'));
    CHECK_EQ(m->added_at, added);
    CHECK_EQ(store.list_models().size(), std::size_t(2));

    CHECK(error_kind([&] { store.add_or_update_model("x", "/x", "abc"); }) == StoreError::Kind::Invalid);
    CHECK(error_kind([&] { store.add_or_update_model("x", "/x", std::string(64, 'g')); }) ==
          StoreError::Kind::Invalid);
    CHECK_EQ(store.list_models().size(), std::size_t(2));

    // Removing a model keeps what it wrote and the ratings.
    NewContinuation nc;
    nc.model_id = m2;
    nc.continuation_text = "x";
    auto c = store.record_continuation(nc);
    store.rate(c, 1);
    store.remove_model(m2);
    CHECK(!store.get_model(m2).has_value());
    CHECK(!store.get_continuation(c)->model_id.has_value());
    CHECK(store.get_continuation(c)->rating.has_value());
    CHECK(error_kind([&] { store.remove_model(m2); }) == StoreError::Kind::NotFound);
    nc.model_id = m2;
    CHECK(error_kind([&] { store.record_continuation(nc); }) == StoreError::Kind::NotFound);
}

TEST_CASE(continuations_record_decide_edit_rate) {
    TempDir dir;
    FakeClock clock;
    Store store(dir.file("fabula.db"), clock.options());
    auto draft = store.create_draft("D", "Once upon a time");
    auto model = store.add_or_update_model("gpt2", "/m/gpt2");
    NewContinuation nc;
    nc.draft_id = draft;
    nc.model_id = model;
    nc.context_ids = {7454, 2402, 257, 640, 0, -1, 2147483647, -2147483647 - 1};
    nc.context_text = "Once upon a time";
    nc.continuation_ids = {11, 612};
    nc.continuation_text = ", there";
    nc.settings_json = R"({"temperature":0.8,"top_p":0.95})";
    nc.prompt_tokens = 4;
    nc.new_tokens = 2;
    nc.ms_to_first_token = 12.5;
    nc.tokens_per_second = 88.25;
    auto created = clock.t;
    auto id = store.record_continuation(nc);

    auto c = store.get_continuation(id);
    CHECK(c.has_value());
    CHECK(c->draft_id == draft);
    CHECK(c->model_id == model);
    CHECK(c->context_ids == nc.context_ids);
    CHECK(c->continuation_ids == nc.continuation_ids);
    CHECK_EQ(c->context_text, nc.context_text);
    CHECK_EQ(c->continuation_text, nc.continuation_text);
    CHECK_EQ(c->settings_json, nc.settings_json);
    CHECK_EQ(c->prompt_tokens, 4);
    CHECK_EQ(c->new_tokens, 2);
    CHECK_NEAR(*c->ms_to_first_token, 12.5, 0);
    CHECK_NEAR(*c->tokens_per_second, 88.25, 0);
    CHECK(c->status == ContinuationStatus::Suggested);
    CHECK_EQ(c->created_at, created);
    CHECK(!c->decided_at && !c->edited_text && !c->edited_at && !c->rating);

    // Token ids are little-endian int32 on disk whatever the machine.
    {
        auto st = store.database().prepare("SELECT context_ids, continuation_ids FROM continuations WHERE id = ?1");
        st.bind(1, id);
        CHECK(st.step());
        auto bytes = st.blob(0);
        CHECK_EQ(bytes.size(), std::size_t(32));
        CHECK(bytes[0] == 0x1E && bytes[1] == 0x1D && bytes[2] == 0 && bytes[3] == 0); // 7454
        CHECK(bytes[20] == 0xFF && bytes[23] == 0xFF);                                 // -1
        CHECK(bytes[24] == 0xFF && bytes[27] == 0x7F);                                 // INT32_MAX
        CHECK(bytes[28] == 0x00 && bytes[31] == 0x80);                                 // INT32_MIN
        CHECK_EQ(st.blob(1).size(), std::size_t(8));
    }

    // Cancelled before the first token: no timings.
    NewContinuation bare;
    bare.draft_id = draft;
    auto cancelled = store.record_continuation(bare, ContinuationStatus::Cancelled);
    auto cb = store.get_continuation(cancelled);
    CHECK(cb->status == ContinuationStatus::Cancelled);
    CHECK(cb->decided_at == clock.t);
    CHECK(!cb->ms_to_first_token && !cb->tokens_per_second && !cb->model_id);
    CHECK(cb->context_ids.empty());

    CHECK(error_kind([&] { store.record_edit(id, "x"); }) == StoreError::Kind::Invalid);
    clock.t += 500;
    store.set_continuation_status(id, ContinuationStatus::Accepted);
    c = store.get_continuation(id);
    CHECK(c->status == ContinuationStatus::Accepted);
    CHECK(c->decided_at == clock.t);
    clock.t += 500;
    store.record_edit(id, ", then");
    c = store.get_continuation(id);
    CHECK(c->edited_text == std::string(", then"));
    CHECK(c->edited_at == clock.t);
    store.set_continuation_status(id, ContinuationStatus::Suggested);
    CHECK(!store.get_continuation(id)->decided_at);
    store.set_continuation_status(id, ContinuationStatus::Rejected);
    CHECK(store.get_continuation(id)->status == ContinuationStatus::Rejected);
    CHECK(error_kind([&] { store.set_continuation_status(555, ContinuationStatus::Accepted); }) ==
          StoreError::Kind::NotFound);
    CHECK(error_kind([&] { store.record_edit(555, "x"); }) == StoreError::Kind::NotFound);

    // Ratings.
    store.rate(id, 1, 5);
    auto r = store.get_continuation(id)->rating;
    CHECK(r.has_value());
    CHECK_EQ(r->thumbs, 1);
    CHECK(r->stars == 5);
    CHECK_EQ(r->rated_at, clock.t);
    clock.t += 1;
    store.rate(id, -1); // rating again replaces, stars cleared
    r = store.get_continuation(id)->rating;
    CHECK_EQ(r->thumbs, -1);
    CHECK(!r->stars);
    CHECK_EQ(r->rated_at, clock.t);
    CHECK(error_kind([&] { store.rate(id, 2); }) == StoreError::Kind::Invalid);
    CHECK(error_kind([&] { store.rate(id, 1, 0); }) == StoreError::Kind::Invalid);
    CHECK(error_kind([&] { store.rate(id, 1, 6); }) == StoreError::Kind::Invalid);
    CHECK(error_kind([&] { store.rate(555, 1); }) == StoreError::Kind::NotFound);
    CHECK_EQ(must(must(store.get_continuation(id)).rating).thumbs, -1);
    // The schema refuses what the API would, for writers that bypass it.
    CHECK(error_kind([&] {
              store.database().exec("UPDATE ratings SET stars = 9");
          }) == StoreError::Kind::Invalid);

    CHECK(error_kind([&] {
              NewContinuation x;
              x.draft_id = 999;
              store.record_continuation(x);
          }) == StoreError::Kind::NotFound);
    CHECK_EQ(store.list_continuations(draft).size(), std::size_t(2));
}

TEST_CASE(continuations_feedback_queries) {
    TempDir dir;
    FakeClock clock;
    Store store(dir.file("fabula.db"), clock.options());
    auto draft = store.create_draft("D", "");
    std::vector<std::int64_t> ids;
    for (int i = 0; i < 5; ++i) {
        NewContinuation nc;
        nc.draft_id = draft;
        nc.context_ids = {i, i + 1};
        nc.context_text = "context " + std::to_string(i);
        nc.continuation_text = "continuation " + std::to_string(i);
        ids.push_back(store.record_continuation(nc));
    }
    store.rate(ids[0], 1, 5);
    store.rate(ids[1], -1);
    store.rate(ids[2], 0, 3);
    store.rate(ids[4], 1);
    // ids[3] is unrated.
    auto up = store.list_rated_continuations(1);
    CHECK_EQ(up.size(), std::size_t(2));
    CHECK_EQ(up[0].id, ids[0]);
    CHECK_EQ(up[1].id, ids[4]);
    CHECK_EQ(up[0].context_text, std::string("context 0"));
    CHECK(up[0].context_ids == std::vector<std::int32_t>({0, 1}));
    CHECK(up[0].rating && up[0].rating->stars == 5);
    CHECK_EQ(store.list_rated_continuations(0).size(), std::size_t(3));
    auto all = store.list_rated_continuations(-1);
    CHECK_EQ(all.size(), std::size_t(4));
    for (const auto& c : all) CHECK(c.id != ids[3]);
    auto listed = store.list_continuations(draft);
    CHECK_EQ(listed.size(), std::size_t(5));
    CHECK(!listed[3].rating);
    CHECK(listed[1].rating && listed[1].rating->thumbs == -1);
}

TEST_CASE(training_runs_crud) {
    TempDir dir;
    FakeClock clock;
    Store store(dir.file("fabula.db"), clock.options());
    auto model = store.add_or_update_model("base", "/m/base");
    auto r1 = store.add_training_run(model, "/runs/1");
    clock.t += 1000;
    auto r2 = store.add_training_run(std::nullopt, "/runs/2", TrainingStatus::Queued);
    auto list = store.list_training_runs();
    CHECK_EQ(list.size(), std::size_t(2));
    CHECK_EQ(list[0].id, r2);
    CHECK_EQ(list[1].id, r1);
    CHECK(list[1].model_id == model);
    CHECK(!list[0].model_id);
    CHECK(list[1].status == TrainingStatus::Running);
    CHECK(!list[1].finished_at);
    CHECK_EQ(list[1].metrics_json, std::string("{}"));

    clock.t += 1000;
    store.update_training_run(r1, TrainingStatus::Finished, R"({"loss":2.5})");
    auto run = store.get_training_run(r1);
    CHECK(run->status == TrainingStatus::Finished);
    CHECK(run->finished_at == clock.t);
    CHECK_EQ(run->metrics_json, std::string(R"({"loss":2.5})"));
    // Later metrics keep the first finishing time.
    clock.t += 1000;
    store.update_training_run(r1, TrainingStatus::Finished, R"({"loss":2.4})");
    CHECK(store.get_training_run(r1)->finished_at == clock.t - 1000);
    store.update_training_run(r2, TrainingStatus::Running, "{}");
    CHECK(!store.get_training_run(r2)->finished_at);

    CHECK(error_kind([&] { store.update_training_run(99, TrainingStatus::Failed, "{}"); }) ==
          StoreError::Kind::NotFound);
    CHECK(error_kind([&] { store.add_training_run(99, "/x"); }) == StoreError::Kind::NotFound);
    CHECK(!store.get_training_run(99).has_value());
    store.remove_model(model);
    CHECK(!store.get_training_run(r1)->model_id);
}

TEST_CASE(training_runs_named_resumable_and_interrupted) {
    TempDir dir;
    FakeClock clock;
    Store store(dir.file("fabula.db"), clock.options());
    auto base = store.add_or_update_model("base", "/m/base");
    NewTrainingRun n;
    n.name = "Mia's voice";
    n.out_dir = "/runs/mia";
    n.model_id = base;
    n.settings_json = R"({"lr":5e-05})";
    n.data_fingerprint = "abc123";
    auto first = store.add_training_run(n);
    auto r = must(store.get_training_run(first));
    CHECK_EQ(r.name, std::string("Mia's voice"));
    CHECK_EQ(r.settings_json, std::string(R"({"lr":5e-05})"));
    CHECK_EQ(r.data_fingerprint, std::string("abc123"));
    CHECK(r.status == TrainingStatus::Running);
    CHECK(!r.parent_run_id && !r.result_model_id);

    // Every status reads back as written; only the terminal ones finish.
    for (auto s : {TrainingStatus::Queued, TrainingStatus::Running, TrainingStatus::Paused, TrainingStatus::Stopped,
                   TrainingStatus::Interrupted, TrainingStatus::Finished, TrainingStatus::Failed,
                   TrainingStatus::Cancelled}) {
        store.set_training_run_status(first, s);
        auto now = must(store.get_training_run(first));
        CHECK(now.status == s);
        CHECK_EQ(now.finished_at.has_value(), is_terminal(s));
        CHECK_EQ(now.metrics_json, std::string("{}"));
    }
    store.set_training_run_status(first, TrainingStatus::Finished);
    auto model = store.add_or_update_model("Mia's voice", "/runs/mia/model");
    store.set_training_run_result(first, model);
    CHECK(must(store.get_training_run(first)).result_model_id == model);
    CHECK(error_kind([&] { store.set_training_run_result(first, 99); }) == StoreError::Kind::NotFound);
    CHECK(error_kind([&] { store.set_training_run_result(99, model); }) == StoreError::Kind::NotFound);
    CHECK(error_kind([&] { store.set_training_run_status(99, TrainingStatus::Paused); }) ==
          StoreError::Kind::NotFound);

    clock.t += 1000;
    NewTrainingRun more = n;
    more.name = "Mia's voice, more";
    more.out_dir = "/runs/mia-2";
    more.model_id = model;
    more.parent_run_id = first;
    auto second = store.add_training_run(more);
    CHECK(must(store.get_training_run(second)).parent_run_id == first);
    more.parent_run_id = 99;
    CHECK(error_kind([&] { store.add_training_run(more); }) == StoreError::Kind::NotFound);
    CHECK(must(store.find_training_run("/runs/mia-2")).id == second);
    CHECK(!store.find_training_run("/runs/nowhere"));

    // At start: the running runs whose process is gone become interrupted,
    // the living ones and the others stay as they are.
    clock.t += 1000;
    auto alive = store.add_training_run(std::nullopt, "/runs/alive");
    auto dead = store.add_training_run(std::nullopt, "/runs/dead");
    auto queued = store.add_training_run(std::nullopt, "/runs/queued", TrainingStatus::Queued);
    std::vector<std::string> asked;
    auto marked = store.mark_interrupted_runs([&](const TrainingRun& run) {
        asked.push_back(run.out_dir);
        return run.out_dir == "/runs/alive";
    });
    CHECK_EQ(marked.size(), std::size_t(3)); // dead, queued and the second run (still Running)
    for (const auto& m : marked) CHECK(m.status == TrainingStatus::Interrupted);
    CHECK(must(store.get_training_run(dead)).status == TrainingStatus::Interrupted);
    CHECK(must(store.get_training_run(queued)).status == TrainingStatus::Interrupted);
    CHECK(must(store.get_training_run(second)).status == TrainingStatus::Interrupted);
    CHECK(must(store.get_training_run(alive)).status == TrainingStatus::Running);
    CHECK(must(store.get_training_run(first)).status == TrainingStatus::Finished);
    CHECK(std::find(asked.begin(), asked.end(), "/runs/mia") == asked.end()); // finished: not asked about
    CHECK(store.mark_interrupted_runs([](const TrainingRun&) { return true; }).empty());

    // Removing a run keeps the runs that continue it, without a parent.
    store.remove_training_run(first);
    CHECK(!store.get_training_run(first));
    CHECK(!must(store.get_training_run(second)).parent_run_id);
    CHECK(error_kind([&] { store.remove_training_run(first); }) == StoreError::Kind::NotFound);
}

TEST_CASE(backup_is_a_complete_consistent_copy) {
    TempDir dir;
    FakeClock clock;
    Store store(dir.file("fabula.db"), clock.options());
    for (int i = 0; i < 30; ++i) {
        auto id = store.create_draft("Draft " + std::to_string(i), std::string(5000 + i, 'x'));
        store.add_revision(id, "rev " + std::to_string(i), RevisionKind::Manual);
        NewContinuation nc;
        nc.draft_id = id;
        nc.context_ids = {i};
        nc.continuation_text = "c" + std::to_string(i);
        store.rate(store.record_continuation(nc), i % 3 - 1);
    }
    store.add_training_run(std::nullopt, "/r");
    const std::string backup = dir.file("backup.db");
    store.backup_to(backup);
    CHECK(fs::exists(backup));
    CHECK(!fs::exists(backup + ".tmp"));
    CHECK(!fs::exists(backup + ".tmp-journal"));

    auto compare = [&](Store& copy) {
        CHECK_EQ(copy.integrity_check(), std::string("ok"));
        CHECK_EQ(copy.schema_version(), store.schema_version());
        auto a = store.list_drafts(), b = copy.list_drafts();
        CHECK_EQ(a.size(), b.size());
        for (std::size_t i = 0; i < std::min(a.size(), b.size()); ++i) {
            CHECK_EQ(a[i].id, b[i].id);
            CHECK_EQ(must(store.get_draft(a[i].id)).body, must(copy.get_draft(b[i].id)).body);
            CHECK_EQ(store.list_revisions(a[i].id).size(), copy.list_revisions(b[i].id).size());
        }
        CHECK_EQ(copy.list_rated_continuations(-1).size(), store.list_rated_continuations(-1).size());
        CHECK_EQ(copy.list_training_runs().size(), store.list_training_runs().size());
    };
    {
        // The copy is one self-contained file, not a WAL database.
        sqlite::Database raw(backup, {.read_only = true});
        CHECK_EQ(raw.query_text("PRAGMA journal_mode"), std::string("delete"));
        CHECK_EQ(raw.query_text("PRAGMA integrity_check"), std::string("ok"));
    }
    {
        Store copy(backup);
        compare(copy);
    }

    // A second backup replaces the first whole, including a stale .tmp.
    store.create_draft("After", "the first backup");
    { std::ofstream(backup + ".tmp") << "garbage left by a crash"; }
    store.backup_to(backup);
    {
        Store copy(backup);
        compare(copy);
        CHECK_EQ(copy.list_drafts("first backup").size(), std::size_t(1));
    }
    CHECK(!fs::exists(backup + ".tmp"));

    CHECK(error_kind([&] { store.backup_to(store.path()); }) == StoreError::Kind::Invalid);
    CHECK(error_kind([&] { store.backup_to(dir.file("no/such/folder/b.db")); }) ==
          StoreError::Kind::CannotOpen);
    CHECK_EQ(store.integrity_check(), std::string("ok"));
}

TEST_CASE(open_errors_name_the_file) {
    TempDir dir;
    const std::string missing_dir = dir.file("missing/fabula.db");
    try {
        Store s(missing_dir);
        CHECK(false);
    } catch (const StoreError& e) {
        CHECK(e.kind() == StoreError::Kind::CannotOpen);
        CHECK_EQ(e.path(), missing_dir);
        CHECK(std::string(e.what()).rfind(missing_dir + ": could not open the database", 0) == 0);
    }

    const std::string garbage = dir.file("notes.txt");
    { std::ofstream(garbage) << std::string(8192, 'z'); }
    try {
        Store s(garbage);
        CHECK(false);
    } catch (const StoreError& e) {
        CHECK(e.kind() == StoreError::Kind::Corrupt);
        CHECK(std::string(e.what()).find(garbage) == 0);
        CHECK(std::string(e.what()).find("not a Fabula database") != std::string::npos);
    }

    // Another program's SQLite file is refused, not extended with our tables.
    const std::string other = dir.file("other.db");
    {
        sqlite::Database db(other);
        db.exec("CREATE TABLE contacts (name TEXT)");
    }
    CHECK_THROWS_WITH(StoreError, Store(other), "another program");
    {
        sqlite::Database db(other);
        CHECK_EQ(db.query_int("SELECT count(*) FROM sqlite_master WHERE name = 'drafts'"), 0);
        db.exec("PRAGMA application_id = 1234");
        db.exec("DROP TABLE contacts");
    }
    CHECK_THROWS_WITH(StoreError, Store(other), "another program");

    // A read-only open never creates the file.
    const std::string absent = dir.file("absent.db");
    CHECK(error_kind([&] { Store s(absent, {.read_only = true}); }) == StoreError::Kind::CannotOpen);
    CHECK(!fs::exists(absent));
}

// The checksum cache trusts a checksum only for the file it was computed
// for: a changed size or modification time asks for a new one.
TEST_CASE(model_checksum_is_keyed_on_the_file_stamp) {
    TempDir dir;
    Store store(dir.file("fabula.db"));
    const std::string sha(64, 'c');
    const FileStamp stamp{1000, 1'700'000'000'123'456'789};
    auto id = store.add_or_update_model("m", "/m", sha, stamp);
    auto m = must(store.get_model(id));
    CHECK(m.weights_stamp == stamp);
    CHECK_EQ(m.weights_sha256_for(stamp), sha);
    CHECK_EQ(m.weights_sha256_for(FileStamp{1001, stamp.mtime_ns}), std::string());
    CHECK_EQ(m.weights_sha256_for(FileStamp{stamp.size, stamp.mtime_ns + 1}), std::string());
    CHECK_EQ(m.weights_sha256_for(std::nullopt), std::string());
    // A checksum given without a stamp vouches for no particular file.
    store.add_or_update_model("m", "/m", sha);
    m = must(store.get_model(id));
    CHECK(!m.weights_stamp);
    CHECK_EQ(m.weights_sha256_for(stamp), std::string());

    CHECK(store.set_model_weights("/m", std::string(64, 'D'), stamp));
    m = must(store.get_model(id));
    CHECK_EQ(m.weights_sha256_for(stamp), std::string(64, 'd'));
    CHECK(!store.set_model_weights("/elsewhere", sha, stamp)); // removed meanwhile: stays removed
    CHECK_EQ(store.list_models().size(), std::size_t(1));
    CHECK(error_kind([&] { store.set_model_weights("/m", "", stamp); }) == StoreError::Kind::Invalid);

    // The stamp of a real file changes with its size and its time.
    const std::string file = dir.file("weights.bin");
    CHECK(!stamp_of_file(file));
    {
        std::FILE* f = std::fopen(file.c_str(), "wb");
        std::fputs("abc", f);
        std::fclose(f);
    }
    const auto first = stamp_of_file(file);
    CHECK(first && first->size == 3);
    std::filesystem::last_write_time(file, std::filesystem::last_write_time(file) + std::chrono::seconds(5));
    const auto later = stamp_of_file(file);
    CHECK(later && later->size == 3 && !(*later == *first));
}

// A loaded model is recorded against its row, which comes back when the
// writer removed it while it was loaded; what the library knew is kept.
TEST_CASE(model_for_folder_keeps_or_readds_the_row) {
    TempDir dir;
    FakeClock clock;
    Store store(dir.file("fabula.db"), clock.options());
    const std::string sha(64, 'e');
    const FileStamp stamp{5, 6};
    auto id = store.add_or_update_model("Known name", "/m/gpt2", sha, stamp);
    bool added = true;
    auto m = store.model_for_folder("gpt2", "/m/gpt2", &added);
    CHECK(!added);
    CHECK_EQ(m.id, id);
    CHECK_EQ(m.name, std::string("Known name"));
    CHECK_EQ(m.weights_sha256_for(stamp), sha);

    store.remove_model(id);
    clock.t += 100;
    m = store.model_for_folder("gpt2", "/m/gpt2", &added);
    CHECK(added);
    CHECK_EQ(m.name, std::string("gpt2"));
    CHECK_EQ(m.path, std::string("/m/gpt2"));
    CHECK_EQ(m.weights_sha256, std::string());
    CHECK_EQ(m.added_at, clock.t);
    CHECK_EQ(store.list_models().size(), std::size_t(1));
    NewContinuation nc;
    nc.model_id = m.id;
    nc.continuation_text = "recorded";
    CHECK(store.get_continuation(store.record_continuation(nc))->model_id == m.id);
}

// A round's outcome: shown text awaits a decision, stopped or abandoned
// text is cancelled, and no text is not recorded at all.
TEST_CASE(record_generation_follows_how_it_ended) {
    TempDir dir;
    FakeClock clock;
    Store store(dir.file("fabula.db"), clock.options());
    auto draft = store.create_draft("D", "Once");
    NewContinuation nc;
    nc.draft_id = draft;
    nc.continuation_text = " upon";
    auto shown = store.record_generation(nc, GenerationEnd::Shown);
    auto stopped = store.record_generation(nc, GenerationEnd::Stopped);
    auto abandoned = store.record_generation(nc, GenerationEnd::Abandoned);
    CHECK(shown && stopped && abandoned);
    CHECK(must(store.get_continuation(*shown)).status == ContinuationStatus::Suggested);
    CHECK(!must(store.get_continuation(*shown)).decided_at);
    CHECK(must(store.get_continuation(*stopped)).status == ContinuationStatus::Cancelled);
    CHECK(must(store.get_continuation(*abandoned)).status == ContinuationStatus::Cancelled);
    CHECK(must(store.get_continuation(*abandoned)).decided_at == clock.t);
    nc.continuation_text.clear();
    for (auto end : {GenerationEnd::Shown, GenerationEnd::Stopped, GenerationEnd::Abandoned})
        CHECK(!store.record_generation(nc, end));
    CHECK_EQ(store.list_continuations(draft).size(), std::size_t(3));
}

FABULA_TEST_MAIN
