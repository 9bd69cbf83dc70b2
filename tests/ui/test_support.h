#pragma once
// Shared by the ui tests: private settings and data folders, and tiny random
// GPT-2 folders made with the Python fixtures.
#include <QCoreApplication>
#include <QDir>
#include <QProcess>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

namespace fabula::ui::test {

// Settings and AppData go under dir, never the tester's own.
inline void isolate(const QTemporaryDir& dir) {
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("FabulaTest"));
    QCoreApplication::setApplicationName(QStringLiteral("FabulaTest"));
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, dir.filePath(QStringLiteral("settings")));
    QSettings().clear();
}

inline bool makeModel(const QString& path, int nPositions = 128) {
    QProcess p;
    p.setProcessChannelMode(QProcess::ForwardedChannels);
    const QString code = QStringLiteral("import sys; sys.path.insert(0, %1); from model_fixtures import make_model; "
                                        "make_model(%2, n_layer=2, n_head=2, n_embd=32, n_positions=%3)")
                             .arg(QStringLiteral("'" FABULA_TEST_FIXTURES "'"), QLatin1Char('\'') + path + QLatin1Char('\''))
                             .arg(nPositions);
    p.start(QStringLiteral(FABULA_TEST_PYTHON), {QStringLiteral("-c"), code});
    return p.waitForFinished(300000) && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
}

} // namespace fabula::ui::test
