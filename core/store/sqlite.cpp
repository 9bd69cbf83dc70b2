#include "core/store/sqlite.h"

#include <sqlite3.h>

#include <utility>

namespace fabula {

StoreError::StoreError(Kind kind, int sqlite_code, std::string path, std::string message)
    : std::runtime_error(path.empty() ? message : path + ": " + message),
      kind_(kind),
      code_(sqlite_code),
      path_(std::move(path)),
      message_(std::move(message)) {}

StoreError StoreError::with_action(std::string_view action) const {
    return StoreError(kind_, code_, path_, std::string(action) + ": " + message_);
}

const char* StoreError::describe(Kind kind) {
    switch (kind) {
    case Kind::ReadOnly:
        return "the database is read-only (opened read-only, or the file or its folder cannot be written)";
    case Kind::Full:
        return "the disk is full (or the database reached its size limit)";
    case Kind::Busy:
        return "the database is locked by another program or another Fabula window";
    case Kind::Corrupt:
        return "the file is damaged or is not a Fabula database";
    case Kind::CannotOpen:
        return "the file cannot be opened (check that its folder exists and can be read)";
    case Kind::Io:
        return "the disk reported a read or write error";
    case Kind::NewerVersion:
        return "the database was made by a newer Fabula";
    case Kind::NotFound:
        return "it no longer exists";
    case Kind::Invalid:
        return "a value is not allowed";
    case Kind::Other:
        break;
    }
    return "the database reported an error";
}

StoreError::Kind StoreError::kind_for(int sqlite_code) {
    switch (sqlite_code & 0xff) {
    case SQLITE_READONLY:
        return Kind::ReadOnly;
    case SQLITE_FULL:
        return Kind::Full;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return Kind::Busy;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
    case SQLITE_FORMAT:
        return Kind::Corrupt;
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
    case SQLITE_AUTH:
        return Kind::CannotOpen;
    case SQLITE_IOERR:
        return Kind::Io;
    case SQLITE_CONSTRAINT:
    case SQLITE_MISMATCH:
    case SQLITE_RANGE:
    case SQLITE_TOOBIG:
        return Kind::Invalid;
    default:
        return Kind::Other;
    }
}

namespace sqlite {

namespace {

std::string sqlite_message(sqlite3* db, int rc) {
    // sqlite3_errmsg only describes the latest call on this connection;
    // errstr is the fallback when there is no connection (or no message).
    const char* msg = db ? sqlite3_errmsg(db) : nullptr;
    return msg && *msg ? msg : sqlite3_errstr(rc);
}

[[noreturn]] void throw_error(const std::string& path, sqlite3* db, int rc, std::string_view action) {
    auto kind = StoreError::kind_for(rc);
    std::string message;
    if (!action.empty()) message.append(action).append(": ");
    message.append(StoreError::describe(kind)).append(" (").append(sqlite_message(db, rc)).append(")");
    throw StoreError(kind, rc, path, std::move(message));
}

} // namespace

Database::Database(const std::string& path, OpenOptions options) : path_(path) {
    // NOMUTEX: a store is used by one thread at a time (its owner serialises
    // access), so SQLite's per-call mutex would only cost time.
    int flags = SQLITE_OPEN_NOMUTEX;
    if (options.read_only)
        flags |= SQLITE_OPEN_READONLY;
    else
        flags |= SQLITE_OPEN_READWRITE | (options.create ? SQLITE_OPEN_CREATE : 0);
    sqlite3* db = nullptr;
    int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
    if (db) sqlite3_extended_result_codes(db, 1);
    if (rc != SQLITE_OK) {
        int code = db ? sqlite3_extended_errcode(db) : rc;
        std::string msg = sqlite_message(db, code);
        sqlite3_close_v2(db);
        auto kind = StoreError::kind_for(code);
        throw StoreError(kind, code, path,
                         "could not open the database: " + std::string(StoreError::describe(kind)) + " (" +
                             msg + ")");
    }
    db_ = db;
    // SQLite quietly falls back to read-only when the file cannot be written;
    // knowing it lets the store say so before the first save fails.
    read_only_ = options.read_only || sqlite3_db_readonly(db_, "main") == 1;
}

Database::~Database() { close(); }

Database::Database(Database&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)), path_(std::move(other.path_)), read_only_(other.read_only_) {}

Database& Database::operator=(Database&& other) noexcept {
    if (this != &other) {
        close();
        db_ = std::exchange(other.db_, nullptr);
        path_ = std::move(other.path_);
        read_only_ = other.read_only_;
    }
    return *this;
}

void Database::close() noexcept {
    // close_v2 defers the real close until outstanding statements are
    // finalized instead of failing with SQLITE_BUSY.
    if (db_) sqlite3_close_v2(std::exchange(db_, nullptr));
}

void Database::exec(std::string_view sql) {
    std::string s(sql);
    char* err = nullptr;
    int rc = sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err);
    sqlite3_free(err); // the same text stays readable through sqlite3_errmsg
    if (rc != SQLITE_OK) fail(sqlite3_extended_errcode(db_), "");
}

Statement Database::prepare(std::string_view sql) { return Statement(*this, sql); }

std::int64_t Database::query_int(std::string_view sql) {
    Statement st(*this, sql);
    if (!st.step()) throw StoreError(StoreError::Kind::Other, 0, path_, "no result from " + std::string(sql));
    return st.int64(0);
}

std::string Database::query_text(std::string_view sql) {
    Statement st(*this, sql);
    if (!st.step()) throw StoreError(StoreError::Kind::Other, 0, path_, "no result from " + std::string(sql));
    return st.text(0);
}

std::int64_t Database::last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }
int Database::changes() const { return sqlite3_changes(db_); }
bool Database::in_transaction() const { return sqlite3_get_autocommit(db_) == 0; }
void Database::set_busy_timeout(int ms) { sqlite3_busy_timeout(db_, ms); }

void Database::fail(int rc, std::string_view action) const { throw_error(path_, db_, rc, action); }

Statement::Statement(Database& db, std::string_view sql) : db_(&db) {
    int rc = sqlite3_prepare_v2(db.handle(), sql.data(), static_cast<int>(sql.size()), &stmt_, nullptr);
    if (rc != SQLITE_OK) {
        sqlite3_finalize(std::exchange(stmt_, nullptr));
        db.fail(rc, "");
    }
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

Statement::Statement(Statement&& other) noexcept
    : db_(other.db_), stmt_(std::exchange(other.stmt_, nullptr)) {}

Statement& Statement::operator=(Statement&& other) noexcept {
    if (this != &other) {
        sqlite3_finalize(stmt_);
        db_ = other.db_;
        stmt_ = std::exchange(other.stmt_, nullptr);
    }
    return *this;
}

void Statement::check_bind(int rc) {
    if (rc != SQLITE_OK) db_->fail(rc, "");
}

Statement& Statement::bind(int index, std::int64_t value) {
    check_bind(sqlite3_bind_int64(stmt_, index, value));
    return *this;
}

Statement& Statement::bind(int index, double value) {
    check_bind(sqlite3_bind_double(stmt_, index, value));
    return *this;
}

Statement& Statement::bind(int index, std::string_view text) {
    // A zero-length text must still be text, not NULL: data() of an empty
    // view may be null, and SQLite binds a null pointer as NULL.
    const char* p = text.data() ? text.data() : "";
    check_bind(sqlite3_bind_text64(stmt_, index, p, text.size(), SQLITE_TRANSIENT, SQLITE_UTF8));
    return *this;
}

Statement& Statement::bind(int index, Blob blob) {
    static const unsigned char empty = 0;
    const void* p = blob.data ? blob.data : &empty;
    check_bind(sqlite3_bind_blob64(stmt_, index, p, blob.size, SQLITE_TRANSIENT));
    return *this;
}

Statement& Statement::bind(int index, std::nullopt_t) {
    check_bind(sqlite3_bind_null(stmt_, index));
    return *this;
}

bool Statement::step() {
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    db_->fail(rc, "");
}

void Statement::run() {
    while (step()) {
    }
}

void Statement::reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
}

bool Statement::is_null(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }
std::int64_t Statement::int64(int column) const { return sqlite3_column_int64(stmt_, column); }
double Statement::real(int column) const { return sqlite3_column_double(stmt_, column); }

std::string Statement::text(int column) const {
    auto p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
    int n = sqlite3_column_bytes(stmt_, column);
    return p ? std::string(p, static_cast<std::size_t>(n)) : std::string();
}

std::vector<unsigned char> Statement::blob(int column) const {
    auto p = static_cast<const unsigned char*>(sqlite3_column_blob(stmt_, column));
    int n = sqlite3_column_bytes(stmt_, column);
    return p ? std::vector<unsigned char>(p, p + n) : std::vector<unsigned char>();
}

std::optional<std::int64_t> Statement::opt_int64(int column) const {
    if (is_null(column)) return std::nullopt;
    return int64(column);
}

std::optional<double> Statement::opt_real(int column) const {
    if (is_null(column)) return std::nullopt;
    return real(column);
}

std::optional<std::string> Statement::opt_text(int column) const {
    if (is_null(column)) return std::nullopt;
    return text(column);
}

Transaction::Transaction(Database& db) : db_(db), nested_(db.in_transaction()) {
    db_.exec(nested_ ? "SAVEPOINT fabula_nested" : "BEGIN IMMEDIATE");
}

Transaction::~Transaction() {
    if (done_) return;
    // Errors are ignored: after SQLITE_FULL or an I/O error SQLite may
    // already have rolled back, and a destructor has nobody to tell.
    if (nested_) {
        sqlite3_exec(db_.handle(), "ROLLBACK TO fabula_nested; RELEASE fabula_nested", nullptr, nullptr, nullptr);
    } else if (db_.in_transaction()) {
        sqlite3_exec(db_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
    }
}

void Transaction::commit() {
    db_.exec(nested_ ? "RELEASE fabula_nested" : "COMMIT");
    done_ = true;
}

} // namespace sqlite
} // namespace fabula
