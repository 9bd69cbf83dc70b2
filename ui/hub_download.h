#pragma once
// Downloads a GPT-2 model folder from the Hugging Face hub (or a mirror in the
// same URL layout): the file list with sizes and checksums first, then each
// file into <dest>/<file>.part, resuming a .part left by an earlier attempt,
// checked against the hub's checksum and renamed into place.
//
// Everything runs on the calling thread's event loop. Bytes are hashed as they
// arrive; hashing what is already on disk (a resumed prefix, a file from an
// earlier run) runs on the global thread pool. Every signal is emitted from
// the event loop, never from inside start(); cancelled() is the one emitted
// from inside cancel().
#include <QObject>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <functional>
#include <memory>

class QNetworkAccessManager;

namespace fabula::ui {

struct HubModelInfo {
    QString repo;
    qint64 totalBytes = 0; // the sum of files' sizes
    QStringList files;     // the files that will be in the folder
};

class HubDownload : public QObject {
    Q_OBJECT

public:
    explicit HubDownload(QObject* parent = nullptr);
    ~HubDownload() override;

    // For the next start(); default https://huggingface.co. A path is kept
    // (http://mirror/hf -> http://mirror/hf/api/models/...).
    void setBaseUrl(const QUrl& url);
    // repo: "gpt2", "gpt2-medium", "openai-community/gpt2-large", ...
    // destDir is created if needed. Ignored (with a warning) while running.
    void start(const QString& repo, const QString& destDir);
    // Stops at once, keeps the .part files for the next start(), emits
    // cancelled(). Does nothing when not running.
    void cancel();
    bool isRunning() const;

Q_SIGNALS:
    void metadataReady(const fabula::ui::HubModelInfo& info);
    // received counts every byte of the model already on disk, so a resumed
    // download starts where the last one stopped. file: the one in progress.
    void progress(qint64 received, qint64 total, const QString& file);
    // One of these three ends every start() (unless the object is deleted first).
    void finished(const QString& modelDir);
    void failed(const QString& message);
    void cancelled();

private:
    struct Job;
    struct FileSpec;

    void begin();
    void onMetadataFinished();
    void nextFile();
    void resumeFile();
    void startFileDownload(qint64 offset);
    bool acceptResponse();
    void onReadyRead();
    bool writeAvailable();
    void onFileFinished();
    void installFile();
    void hashInBackground(const QString& path, qint64 length, std::function<void(const QString& error)> done);
    bool emitProgress(bool force);
    void fail(const QString& message);
    void stop();

    QNetworkAccessManager* m_nam;
    QUrl m_baseUrl;
    std::unique_ptr<Job> m_job;
};

} // namespace fabula::ui

Q_DECLARE_METATYPE(fabula::ui::HubModelInfo)
