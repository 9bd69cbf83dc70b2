// Nothing committed is lost: not when the writing process is killed -9,
// and not when a write fails because the database is read-only, full or
// locked. Each failure must say so (kind and message) and leave the store
// usable once the condition is gone.
#include "check.h"
#include "store_test_support.h"
#include "core/store/store.h"

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>
#include <string>

#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

using namespace fabula;
namespace fs = std::filesystem;
using namespace store_test;

namespace {


// Mirrors store_writer_tool.cpp.
std::string body_text(const std::string& prefix, long n, int version) {
    std::string line = "version " + std::to_string(version) + " of " + prefix + " #" + std::to_string(n) + ".\n";
    std::string s;
    while (s.size() < 16000) s += line;
    return s;
}

// The writer as a child process whose stdout we read line by line.
class Writer {
public:
    Writer(const std::string& db, const std::string& prefix) {
        int fds[2];
        if (pipe(fds) != 0) throw std::runtime_error("pipe failed");
        posix_spawn_file_actions_t fa;
        posix_spawn_file_actions_init(&fa);
        posix_spawn_file_actions_adddup2(&fa, fds[1], STDOUT_FILENO);
        posix_spawn_file_actions_addclose(&fa, fds[0]);
        posix_spawn_file_actions_addclose(&fa, fds[1]);
        std::string tool = FABULA_STORE_WRITER;
        char* argv[] = {tool.data(), const_cast<char*>(db.c_str()), const_cast<char*>(prefix.c_str()), nullptr};
        int rc = posix_spawn(&pid_, tool.c_str(), &fa, nullptr, argv, environ);
        posix_spawn_file_actions_destroy(&fa);
        close(fds[1]);
        if (rc != 0) {
            close(fds[0]);
            throw std::runtime_error("cannot start " + tool + ": " + std::strerror(rc));
        }
        fd_ = fds[0];
    }
    ~Writer() {
        if (pid_ > 0) {
            kill(pid_, SIGKILL);
            waitpid(pid_, nullptr, 0);
        }
        if (fd_ >= 0) close(fd_);
    }

    // The next line, or "" at end of output or after 30 s of silence.
    std::string read_line() {
        for (;;) {
            auto nl = buffer_.find('\n');
            if (nl != std::string::npos) {
                std::string line = buffer_.substr(0, nl);
                buffer_.erase(0, nl + 1);
                return line;
            }
            pollfd p{fd_, POLLIN, 0};
            int ready = poll(&p, 1, 30000);
            if (ready < 0 && errno == EINTR) continue;
            if (ready <= 0) return "";
            char chunk[4096];
            ssize_t n = read(fd_, chunk, sizeof chunk);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) return "";
            buffer_.append(chunk, static_cast<std::size_t>(n));
        }
    }

    // SIGKILL, then the wait status.
    int kill_now() {
        kill(pid_, SIGKILL);
        int status = 0;
        waitpid(pid_, &status, 0);
        pid_ = -1;
        return status;
    }

private:
    pid_t pid_ = -1;
    int fd_ = -1;
    std::string buffer_;
};

template <class F>
StoreError expect_error(F&& f) {
    try {
        f();
    } catch (const StoreError& e) {
        return e;
    }
    throw std::runtime_error("expected a StoreError");
}

bool contains(const std::string& s, const std::string& needle) { return s.find(needle) != std::string::npos; }

} // namespace

TEST_CASE(kill_9_loses_no_committed_row) {
    TempDir dir;
    const std::string path = dir.file("fabula.db");
    // Three writers in turn on the same file, each killed at a different
    // point, so later rounds also recover a database an earlier kill left.
    const int rounds[] = {50, 73, 120};
    std::map<std::int64_t, std::pair<std::string, long>> reported; // id -> (prefix, n)
    for (int r = 0; r < 3; ++r) {
        const std::string prefix = "round" + std::to_string(r);
        long last = 0;
        {
            Writer writer(path, prefix);
            auto take = [&](const std::string& line) {
                long n = 0;
                long long id = 0;
                if (std::sscanf(line.c_str(), "committed %ld %lld", &n, &id) != 2) return false;
                CHECK_EQ(n, last + 1);
                last = n;
                reported[id] = {prefix, n};
                return true;
            };
            while (last < rounds[r]) {
                std::string line = writer.read_line();
                if (!take(line))
                    ::fabula_test::fail(__FILE__, __LINE__, "writer stopped early; last line: '" + line + "'");
            }
            int status = writer.kill_now();
            // Killed, not exited: an error exit would mean the writer failed.
            CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
            // It kept committing until the kill; those reports count too.
            while (take(writer.read_line())) {
            }
        }

        Store store(path);
        CHECK_EQ(store.integrity_check(), std::string("ok"));
        for (const auto& [id, who] : reported) {
            auto d = store.get_draft(id);
            if (!d) ::fabula_test::fail(__FILE__, __LINE__, "committed draft " + std::to_string(id) + " is gone");
            CHECK_EQ(d->title, who.first + " #" + std::to_string(who.second));
            CHECK(d->body == body_text(who.first, who.second, 1));
        }
        // Whatever the kill interrupted is either all there or not at all.
        long mine = 0;
        for (const auto& s : store.list_drafts(prefix)) {
            ++mine;
            auto d = store.get_draft(s.id);
            long n = std::atol(d->title.c_str() + prefix.size() + 2);
            CHECK(d->body == body_text(prefix, n, 0) || d->body == body_text(prefix, n, 1));
        }
        CHECK(mine >= last && mine <= last + 1);
    }
}

TEST_CASE(read_only_write_fails_then_works_writable) {
    TempDir dir;
    const std::string path = dir.file("fabula.db");
    std::int64_t id = 0;
    {
        Store store(path);
        id = store.create_draft("Kept", "before");
    }
    {
        Store ro(path, {.read_only = true});
        CHECK(ro.read_only());
        CHECK_EQ(must(ro.get_draft(id)).body, std::string("before"));
        CHECK_EQ(ro.list_drafts().size(), std::size_t(1));
        auto e = expect_error([&] { ro.update_draft_body(id, "after"); });
        CHECK(e.kind() == StoreError::Kind::ReadOnly);
        CHECK_EQ(e.path(), path);
        CHECK(std::string(e.what()).rfind(path + ": could not save the draft: the database is read-only", 0) == 0);
        CHECK(expect_error([&] { ro.create_draft("New"); }).kind() == StoreError::Kind::ReadOnly);
        CHECK(expect_error([&] { ro.add_revision(id, "x", RevisionKind::Manual); }).kind() ==
              StoreError::Kind::ReadOnly);
        CHECK(!ro.database().in_transaction());
        CHECK_EQ(must(ro.get_draft(id)).body, std::string("before"));
    }
    Store rw(path);
    CHECK(!rw.read_only());
    CHECK(rw.update_draft_body(id, "after"));
    rw.create_draft("New");
    rw = Store(path);
    CHECK_EQ(must(rw.get_draft(id)).body, std::string("after"));
    CHECK_EQ(rw.list_drafts().size(), std::size_t(2));
}

TEST_CASE(full_disk_write_fails_then_works_with_room) {
    TempDir dir;
    const std::string path = dir.file("fabula.db");
    Store store(path);
    auto id = store.create_draft("Kept", "original");
    auto other = store.create_draft("Other", "untouched");
    store.add_revision(id, "original", RevisionKind::Manual);
    auto& db = store.database();
    // The database may not grow past its current size: a stand-in for a
    // full disk that SQLite reports with the same SQLITE_FULL.
    auto pages = db.query_int("PRAGMA page_count");
    CHECK_EQ(db.query_int("PRAGMA max_page_count = " + std::to_string(pages)), pages);

    std::string big;
    while (big.size() < 2'000'000) big += "a long chapter that will not fit ";
    auto e = expect_error([&] { store.update_draft_body(id, big); });
    CHECK(e.kind() == StoreError::Kind::Full);
    CHECK((e.sqlite_code() & 0xff) == 13); // SQLITE_FULL
    CHECK(std::string(e.what()).rfind(path + ": could not save the draft: the disk is full", 0) == 0);
    CHECK(!db.in_transaction());
    CHECK(expect_error([&] { store.create_draft("New", big); }).kind() == StoreError::Kind::Full);
    // Inside an explicit transaction too, which must be rolled back whole.
    CHECK(expect_error([&] { store.add_revision(id, big, RevisionKind::Manual); }).kind() ==
          StoreError::Kind::Full);
    CHECK(!db.in_transaction());
    CHECK(expect_error([&] { store.maybe_snapshot(id, big, store.now() + kDayMs); }).kind() ==
          StoreError::Kind::Full);
    CHECK(!db.in_transaction());
    CHECK_EQ(must(store.get_draft(id)).body, std::string("original"));
    CHECK_EQ(store.list_revisions(id).size(), std::size_t(1));
    CHECK_EQ(store.list_drafts().size(), std::size_t(2));

    // Room again: the same save goes through and everything else is intact.
    db.exec("PRAGMA max_page_count = 1073741823");
    CHECK(store.update_draft_body(id, big));
    store.add_revision(id, big, RevisionKind::Manual);
    store = Store(path);
    CHECK(store.get_draft(id)->body == big);
    CHECK_EQ(must(store.get_draft(other)).body, std::string("untouched"));
    CHECK_EQ(store.list_revisions(id).size(), std::size_t(2));
    CHECK_EQ(store.integrity_check(), std::string("ok"));
}

TEST_CASE(locked_database_write_fails_then_works_after_release) {
    TempDir dir;
    const std::string path = dir.file("fabula.db");
    Store store(path, {.busy_timeout_ms = 150});
    auto id = store.create_draft("Kept", "original");

    sqlite::Database other(path);
    other.exec("BEGIN IMMEDIATE"); // another process holding the write lock
    other.exec("INSERT INTO drafts (title, body, created_at, updated_at) VALUES ('theirs', '', 0, 0)");

    auto t0 = std::chrono::steady_clock::now();
    auto e = expect_error([&] { store.update_draft_body(id, "mine"); });
    auto waited = std::chrono::steady_clock::now() - t0;
    CHECK(e.kind() == StoreError::Kind::Busy);
    CHECK(std::string(e.what()).rfind(path + ": could not save the draft: the database is locked", 0) == 0);
    // It waited for the lock (the busy timeout) before giving up.
    CHECK(waited >= std::chrono::milliseconds(100));
    CHECK(waited < std::chrono::milliseconds(1500));
    CHECK(expect_error([&] { store.add_revision(id, "x", RevisionKind::Manual); }).kind() ==
          StoreError::Kind::Busy);
    CHECK(!store.database().in_transaction());

    // WAL: reading goes on while someone else writes, and opening does too.
    CHECK_EQ(must(store.get_draft(id)).body, std::string("original"));
    CHECK_EQ(store.list_drafts().size(), std::size_t(1));
    {
        Store second(path, {.busy_timeout_ms = 150});
        CHECK_EQ(second.list_drafts().size(), std::size_t(1));
    }

    other.exec("COMMIT");
    CHECK(store.update_draft_body(id, "mine"));
    store.add_revision(id, "mine", RevisionKind::Manual);
    CHECK_EQ(store.list_drafts().size(), std::size_t(2));
    store = Store(path);
    CHECK_EQ(must(store.get_draft(id)).body, std::string("mine"));
    CHECK_EQ(store.list_revisions(id).size(), std::size_t(1));
}

FABULA_TEST_MAIN
