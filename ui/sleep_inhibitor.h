#pragma once
// Keeps the machine awake while a model trains: logind's Inhibit over the
// system D-Bus. The lock lasts as long as its file descriptor is open in any
// process, so the training child inherits a copy and the machine stays awake
// until training ends, even after the app has quit.
#include <QString>

namespace fabula::ui {

// A descriptor holding a "sleep:idle" block inhibitor, or -1 where logind is
// not reachable (no D-Bus, no logind, a build without QtDBus): training then
// simply runs without one. The caller owns the descriptor (close-on-exec).
int acquireSleepInhibitor(const QString& why);

} // namespace fabula::ui
