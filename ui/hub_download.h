#pragma once
// Downloads a model folder from the Hugging Face hub (or a mirror in the same
// URL layout): the file list with sizes and checksums first, then each file
// (config, tokenizer files, model.safetensors or the index and its shards)
// into <dest>/<file>.part, resuming a .part left by an earlier attempt,
// checked against the hub's checksum and renamed into place. Repositories
// whose weights are not in safetensors files are refused, naming what they
// have. Redirects are followed here, not by Qt, so that the access token goes
// only to the hub's own host.
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
class QNetworkReply;

namespace fabula::ui {

struct HubModelInfo {
    QString repo;
    QString revision;      // empty: main
    qint64 totalBytes = 0; // the sum of files' sizes
    QStringList files;     // the files that will be in the folder
    int shards = 0;        // weight files beside model.safetensors.index.json; 0: one model.safetensors
    bool gated = false;    // the hub wants a token and accepted terms for the files
    QString license;       // as the model card states it; empty when it does not
};

class HubDownload : public QObject {
    Q_OBJECT

public:
    explicit HubDownload(QObject* parent = nullptr);
    ~HubDownload() override;

    // For the next start(); default https://huggingface.co. A path is kept
    // (http://mirror/hf -> http://mirror/hf/api/models/...).
    void setBaseUrl(const QUrl& url);
    // For the next start(); empty for none. Sent as "Authorization: Bearer"
    // to the base URL's scheme, host and port only, never to a redirect
    // elsewhere (the hub's CDN), and never put in a message.
    void setAccessToken(const QString& token);
    // repo: "gpt2", "gpt2-medium", "openai-community/gpt2-large", ...
    // revision: a branch, tag or commit ("float16"); empty for main.
    // destDir is created if needed. Ignored (with a warning) while running.
    void start(const QString& repo, const QString& destDir, const QString& revision = QString());
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
    bool planFiles(const QByteArray& body, HubModelInfo& info);
    QNetworkReply* get(const QUrl& url, bool file);
    bool followRedirect(QNetworkReply* reply, const std::function<void(const QUrl&)>& again);
    QString refusedMessage(int status, const QString& what) const;
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
    QString m_token;
    std::unique_ptr<Job> m_job;
};

} // namespace fabula::ui

Q_DECLARE_METATYPE(fabula::ui::HubModelInfo)
