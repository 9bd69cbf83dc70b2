#pragma once
// The store's schema: an ordered list of migrations, one per version, kept
// in PRAGMA user_version. A database is only ever built by running the
// migrations in order, so a fresh database and an upgraded one cannot drift
// apart.
#include "core/store/sqlite.h"

namespace fabula::store_schema {

// PRAGMA application_id of a Fabula database ("FAB1"), so that opening some
// other program's SQLite file is refused instead of adding tables to it.
inline constexpr int kApplicationId = 0x46414231;

// The version this build creates and understands.
int latest_version();

// What a version added, for logs and the about box.
const char* describe(int version);

// Runs the migrations after the database's user_version up to and
// including target, each in its own transaction together with the new
// user_version, so an interrupted upgrade leaves the last complete version.
// Foreign-key enforcement is off while they run (the documented way to
// rebuild tables in SQLite) and PRAGMA foreign_key_check must come back
// empty before each commits. Tests call it with a target below the latest
// to build the databases older Fabulas made.
void migrate(sqlite::Database& db, int target);

} // namespace fabula::store_schema
