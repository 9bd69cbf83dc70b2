#include "ui/wizard/wizard_state.h"
#include "training/train_contract.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QLocale>

#include <cmath>

namespace fabula::ui {

QStringList cliArguments(const training::TrainOptions& options, const QStringList& drop) {
    const nlohmann::json j = training::to_options_json(options);
    QStringList args;
    for (auto it = j.begin(); it != j.end(); ++it) {
        const QString key = QString::fromStdString(it.key());
        if (drop.contains(key)) continue;
        const QString flag = QStringLiteral("--") + key;
        const nlohmann::json& v = it.value();
        if (v.is_boolean()) {
            if (v.get<bool>()) args << flag;
        } else if (v.is_string()) {
            args << flag << QString::fromStdString(v.get<std::string>());
        } else if (!v.is_null()) {
            args << flag << QString::fromStdString(v.dump());
        }
    }
    return args;
}

bool isAdapterFolder(const QString& dir) {
    return !dir.isEmpty() && AdapterFolder::is_adapter(std::filesystem::path(dir.toStdString()));
}

QString dataFingerprint(const QString& path) {
    QStringList files;
    const QFileInfo info(path);
    if (info.isDir()) {
        QDirIterator it(path, QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext()) files << it.next();
        files.sort();
    } else {
        files << path;
    }
    QCryptographicHash hash(QCryptographicHash::Sha256);
    for (const QString& f : files) {
        // The name relative to path and the length keep two layouts of the same bytes apart.
        hash.addData(QDir(info.isDir() ? path : info.path()).relativeFilePath(f).toUtf8());
        QFile file(f);
        if (!file.open(QIODevice::ReadOnly)) continue;
        hash.addData(QByteArray::number(file.size()));
        hash.addData(&file);
    }
    return QString::fromLatin1(hash.result().toHex());
}

QString formatBytes(qint64 bytes) {
    return QLocale().formattedDataSize(bytes, 1, QLocale::DataSizeSIFormat);
}

QString formatDuration(double seconds) {
    const auto t = static_cast<qint64>(std::llround(std::max(0.0, seconds)));
    if (t >= 3600)
        return QCoreApplication::translate("fabula::ui::Wizard", "%1 h %2 min").arg(t / 3600).arg((t / 60) % 60, 2, 10, QLatin1Char('0'));
    if (t >= 60)
        return QCoreApplication::translate("fabula::ui::Wizard", "%1 min %2 s").arg(t / 60).arg(t % 60, 2, 10, QLatin1Char('0'));
    return QCoreApplication::translate("fabula::ui::Wizard", "%1 s").arg(t);
}

} // namespace fabula::ui
