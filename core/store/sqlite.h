#pragma once
// A thin RAII layer over the SQLite C API. It exists so that every failure
// leaves the store as one StoreError whose kind the UI can turn into a
// sentence a writer can act on ("the disk is full"), and so that a forgotten
// finalize or an exception between BEGIN and COMMIT cannot leak a statement
// or leave a transaction open.
//
// sqlite3.h stays out of this header: the UI includes store.h and should not
// need SQLite's headers to do so.
#include <concepts>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace fabula {

class StoreError : public std::runtime_error {
public:
    // What went wrong, coarsely enough for the UI to pick a translated
    // message; what() is the English fallback and the log line.
    enum class Kind {
        ReadOnly,     // opened read-only, or the file/folder cannot be written
        Full,         // SQLITE_FULL: the disk, or the database's size limit
        Busy,         // SQLITE_BUSY/LOCKED: another connection holds the lock
        Corrupt,      // damaged, or not a Fabula database at all
        CannotOpen,   // missing folder, no permission, a directory...
        Io,           // the operating system reported an I/O error
        NewerVersion, // made by a newer Fabula than this one
        NotFound,     // the draft/model/... with that id does not exist
        Invalid,      // a value the schema does not allow
        Other,
    };

    // message says what was being done and why it failed, without the path;
    // what() is "<path>: <message>" so logs always name the file.
    StoreError(Kind kind, int sqlite_code, std::string path, std::string message);

    Kind kind() const { return kind_; }
    // The extended SQLite result code, or 0 when the error did not come from
    // SQLite (NotFound, NewerVersion, argument checks).
    int sqlite_code() const { return code_; }
    const std::string& path() const { return path_; }
    const std::string& message() const { return message_; }

    // The same error with "<action>: " in front of the message, so the
    // outermost caller can say what the person was trying to do.
    StoreError with_action(std::string_view action) const;

    // The English phrase used for a kind, e.g. "the disk is full".
    static const char* describe(Kind kind);
    static Kind kind_for(int sqlite_code);

private:
    Kind kind_;
    int code_;
    std::string path_;
    std::string message_;
};

namespace sqlite {

class Statement;

struct Blob {
    const void* data = nullptr;
    std::size_t size = 0;
};

struct OpenOptions {
    bool read_only = false;
    // A read-only open never creates; a writable one creates when missing.
    bool create = true;
};

class Database {
public:
    Database(const std::string& path, OpenOptions options = {});
    ~Database();
    Database(Database&& other) noexcept;
    Database& operator=(Database&& other) noexcept;
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    const std::string& path() const { return path_; }
    bool read_only() const { return read_only_; }
    sqlite3* handle() const { return db_; }

    // Runs one or more statements that return no rows worth reading.
    void exec(std::string_view sql);
    Statement prepare(std::string_view sql);

    // The first column of the first row of a query that yields one value
    // (PRAGMA user_version, SELECT count(*), ...).
    std::int64_t query_int(std::string_view sql);
    std::string query_text(std::string_view sql);

    std::int64_t last_insert_rowid() const;
    int changes() const;
    bool in_transaction() const;
    void set_busy_timeout(int ms);

    // Throws the StoreError for result code rc, reading SQLite's own message
    // from this connection; call it right after the failing call.
    [[noreturn]] void fail(int rc, std::string_view action) const;

private:
    void close() noexcept;

    sqlite3* db_ = nullptr;
    std::string path_;
    bool read_only_ = false;
};

class Statement {
public:
    Statement(Database& db, std::string_view sql);
    ~Statement();
    Statement(Statement&& other) noexcept;
    Statement& operator=(Statement&& other) noexcept;
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    // Parameters are 1-based, as in SQLite.
    Statement& bind(int index, std::int64_t value);
    Statement& bind(int index, double value);
    Statement& bind(int index, std::string_view text);
    Statement& bind(int index, const char* text) { return bind(index, std::string_view(text)); }
    Statement& bind(int index, const std::string& text) { return bind(index, std::string_view(text)); }
    Statement& bind(int index, Blob blob);
    Statement& bind(int index, std::nullopt_t);
    template <std::integral T>
    Statement& bind(int index, T value) {
        return bind(index, static_cast<std::int64_t>(value));
    }
    template <class T>
    Statement& bind(int index, const std::optional<T>& value) {
        return value ? bind(index, *value) : bind(index, std::nullopt);
    }
    // Binds the arguments to parameters 1..N.
    template <class... Args>
    Statement& bind_all(const Args&... args) {
        int i = 0;
        (bind(++i, args), ...);
        return *this;
    }

    // True while a row is ready to be read; false once the statement is done.
    bool step();
    // Steps to the end, ignoring any rows.
    void run();
    void reset();

    bool is_null(int column) const;
    std::int64_t int64(int column) const;
    double real(int column) const;
    std::string text(int column) const;
    std::vector<unsigned char> blob(int column) const;
    std::optional<std::int64_t> opt_int64(int column) const;
    std::optional<double> opt_real(int column) const;
    std::optional<std::string> opt_text(int column) const;

private:
    void check_bind(int rc);

    Database* db_ = nullptr;
    sqlite3_stmt* stmt_ = nullptr;
};

// BEGIN IMMEDIATE ... COMMIT, rolled back unless commit() ran. IMMEDIATE
// takes the write lock up front, so a busy database fails at the start of a
// write (where the busy timeout applies) instead of halfway through it with
// a deadlock SQLite cannot wait out. Inside another transaction it becomes a
// SAVEPOINT, so store functions can call each other.
class Transaction {
public:
    explicit Transaction(Database& db);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;

    void commit();

private:
    Database& db_;
    bool nested_ = false;
    bool done_ = false;
};

} // namespace sqlite
} // namespace fabula
