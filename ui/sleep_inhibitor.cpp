#include "ui/sleep_inhibitor.h"

#include <fcntl.h>
#include <unistd.h>

#ifdef FABULA_HAVE_DBUS
#include <QDBusConnection>
#include <QDBusMessage>
#include <QDBusUnixFileDescriptor>
#endif

namespace fabula::ui {

int acquireSleepInhibitor(const QString& why) {
#ifdef FABULA_HAVE_DBUS
    QDBusConnection bus = QDBusConnection::systemBus();
    if (!bus.isConnected()) return -1;
    QDBusMessage call = QDBusMessage::createMethodCall(
        QStringLiteral("org.freedesktop.login1"), QStringLiteral("/org/freedesktop/login1"),
        QStringLiteral("org.freedesktop.login1.Manager"), QStringLiteral("Inhibit"));
    call << QStringLiteral("sleep:idle") << QStringLiteral("Fabula") << why << QStringLiteral("block");
    // logind answers at once; the short timeout only bounds a wedged bus,
    // since this runs when the writer presses Start.
    const QDBusMessage reply = bus.call(call, QDBus::Block, 1500);
    if (reply.type() != QDBusMessage::ReplyMessage || reply.arguments().isEmpty()) return -1;
    const auto fd = qvariant_cast<QDBusUnixFileDescriptor>(reply.arguments().constFirst());
    if (!fd.isValid()) return -1;
    // The reply's descriptor closes with it: keep a copy of our own.
    return ::fcntl(fd.fileDescriptor(), F_DUPFD_CLOEXEC, 3);
#else
    Q_UNUSED(why);
    return -1;
#endif
}

} // namespace fabula::ui
