#include "hub_download.h"

#include "core/hub_metadata.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QPointer>
#include <QRegularExpression>
#include <QStorageInfo>
#include <QTemporaryFile>
#include <QTimer>
#include <QtConcurrent/QtConcurrentRun>

#include <atomic>
#include <filesystem>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

namespace fabula::ui {

namespace {

constexpr int kTransferTimeoutMs = 60'000; // no byte for this long: the download stops
constexpr int kProgressIntervalMs = 100;
constexpr qint64 kHashChunk = 1 << 20;
constexpr int kMaxRedirects = 10;

// The files of a model folder besides the weights, small ones first so that
// a broken repository shows before the big download. Each family's tokenizer
// is one of tokenizer.json, tokenizer.model or vocab.json + merges.txt.
constexpr const char* kSmallFiles[] = {
    "config.json",     "generation_config.json", "tokenizer_config.json", "special_tokens_map.json",
    "tokenizer.json",  "tokenizer.model",        "vocab.json",            "merges.txt",
};
const QString kSingleWeights = QStringLiteral("model.safetensors");
const QString kIndex = QStringLiteral("model.safetensors.index.json");

// Weights in formats Fabula does not read (PyTorch pickles, TensorFlow,
// Flax, GGUF, ONNX), named when a repository has only those.
bool otherWeightFormat(const QString& name)
{
    static const QRegularExpression pattern(QStringLiteral("\\.(bin|h5|msgpack|gguf|ggml|pt|pth|ckpt|onnx)$"),
                                            QRegularExpression::CaseInsensitiveOption);
    return pattern.match(name).hasMatch();
}

bool sameOrigin(const QUrl& a, const QUrl& b)
{
    const auto port = [](const QUrl& u) { return u.port(u.scheme() == QLatin1String("https") ? 443 : 80); };
    return a.scheme() == b.scheme() && a.host().compare(b.host(), Qt::CaseInsensitive) == 0 && port(a) == port(b);
}

QString revisionPath(const QString& revision)
{
    return revision.isEmpty() ? QStringLiteral("main") : QString::fromLatin1(QUrl::toPercentEncoding(revision));
}

std::atomic<quint64> g_jobCounter{0};

// Disconnects, then deletes from the event loop: safe from inside the
// object's own signal.
struct DeleteLater {
    void operator()(QObject* o) const
    {
        o->disconnect();
        o->deleteLater();
    }
};
template <class T> using LaterPtr = std::unique_ptr<T, DeleteLater>;

QString native(const QString& path) { return QDir::toNativeSeparators(path); }

std::filesystem::path fsPath(const QString& path) { return std::filesystem::path(path.toStdU16String()); }

QUrl hubUrl(QUrl url, const QString& path, const QString& query = {})
{
    QString p = url.path();
    while (p.endsWith(QLatin1Char('/')))
        p.chop(1);
    url.setPath(p + path);
    url.setQuery(query);
    url.setFragment({});
    return url;
}

QNetworkRequest hubRequest(const QUrl& url)
{
    QNetworkRequest req(url);
    // Followed by HubDownload::followRedirect, which decides where the token goes.
    req.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    req.setTransferTimeout(kTransferTimeoutMs);
    req.setHeader(QNetworkRequest::UserAgentHeader, QByteArrayLiteral("Fabula"));
    return req;
}

// Hashes the first `length` bytes of a file into `hash` (on the thread pool).
// Returns an error message, empty on success.
QString hashPrefix(const QString& path, qint64 length, std::shared_ptr<QCryptographicHash> hash,
                   std::shared_ptr<std::atomic<qint64>> hashed, std::shared_ptr<std::atomic_bool> stop)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return file.errorString();
    QByteArray buffer(kHashChunk, Qt::Uninitialized);
    qint64 done = 0;
    while (done < length && !stop->load()) {
        const qint64 n = file.read(buffer.data(), std::min(kHashChunk, length - done));
        if (n < 0)
            return file.errorString();
        if (n == 0)
            return HubDownload::tr("the file is shorter than expected");
        hash->addData(QByteArrayView(buffer.constData(), n));
        done += n;
        hashed->store(done);
    }
    return {};
}

} // namespace

struct HubDownload::FileSpec {
    QString name;
    qint64 size = 0;
    QByteArray sha256; // hex, for LFS files
    QByteArray blobId; // hex git blob sha1, for the others

    bool lfs() const { return !sha256.isEmpty(); }
    std::shared_ptr<QCryptographicHash> newHash() const
    {
        if (lfs())
            return std::make_shared<QCryptographicHash>(QCryptographicHash::Sha256);
        auto hash = std::make_shared<QCryptographicHash>(QCryptographicHash::Sha1);
        hash->addData(QByteArrayLiteral("blob ") + QByteArray::number(size) + '\0');
        return hash;
    }
    bool matches(QCryptographicHash& hash) const { return hash.result().toHex() == (lfs() ? sha256 : blobId); }
};

struct HubDownload::Job {
    enum class Response { Unchecked, Writing, Ignoring };

    quint64 id = ++g_jobCounter;
    QString repo;
    QString revision; // empty: main
    QString token;    // for requests to `base`'s origin only
    int redirects = 0; // of the request in flight
    QString dir; // absolute once begin() ran
    QUrl base;
    std::vector<FileSpec> files;
    size_t index = 0; // the file in progress
    qint64 total = 0;
    qint64 done = 0; // bytes of the files before `index`

    // The request in flight (metadata or a file); see stop().
    QNetworkReply* reply = nullptr;
    Response response = Response::Unchecked;
    // The file in progress: its .part and the hash of what it holds.
    QFile part;
    std::shared_ptr<QCryptographicHash> hash;
    qint64 fileBytes = 0;
    // progress() is emitted at each file's start and end, and from this
    // timer whenever the count moved.
    LaterPtr<QTimer> ticker;
    qint64 reported = -1;

    // Hashing on the thread pool; its progress is read from `hashed`.
    LaterPtr<QFutureWatcher<QString>> watcher;
    std::shared_ptr<std::atomic<qint64>> hashed = std::make_shared<std::atomic<qint64>>(0);
    std::shared_ptr<std::atomic_bool> stopFlag = std::make_shared<std::atomic_bool>(false);

    const FileSpec& file() const { return files[index]; }
    QString finalPath() const { return dir + QLatin1Char('/') + file().name; }
    QString partPath() const { return finalPath() + QLatin1String(".part"); }
};

HubDownload::HubDownload(QObject* parent)
    : QObject(parent), m_nam(new QNetworkAccessManager(this)), m_baseUrl(QStringLiteral("https://huggingface.co"))
{
    static const int registered = qRegisterMetaType<fabula::ui::HubModelInfo>();
    Q_UNUSED(registered);
}

HubDownload::~HubDownload() { stop(); }

void HubDownload::setBaseUrl(const QUrl& url) { m_baseUrl = url; }

void HubDownload::setAccessToken(const QString& token) { m_token = token.trimmed(); }

bool HubDownload::isRunning() const { return m_job != nullptr; }

void HubDownload::start(const QString& repo, const QString& destDir, const QString& revision)
{
    if (m_job) {
        qWarning("HubDownload::start: a download is already running");
        return;
    }
    m_job = std::make_unique<Job>();
    m_job->repo = repo.trimmed();
    m_job->revision = revision.trimmed() == QLatin1String("main") ? QString() : revision.trimmed();
    m_job->token = m_token;
    m_job->dir = destDir;
    m_job->base = m_baseUrl;
    // Signals come from the event loop, never from inside start().
    const quint64 id = m_job->id;
    QMetaObject::invokeMethod(
        this,
        [this, id] {
            if (m_job && m_job->id == id)
                begin();
        },
        Qt::QueuedConnection);
}

void HubDownload::cancel()
{
    if (!m_job)
        return;
    stop();
    Q_EMIT cancelled();
}

void HubDownload::stop()
{
    std::unique_ptr<Job> job = std::move(m_job);
    if (!job)
        return;
    job->stopFlag->store(true); // a hashing worker gives up; its result is dropped with the watcher
    if (job->reply) {
        job->reply->disconnect(this);
        job->reply->abort();
        job->reply->deleteLater();
    }
    job->part.close(); // a .part keeps what arrived, for the next start()
}

void HubDownload::fail(const QString& message)
{
    stop();
    Q_EMIT failed(message);
}

bool HubDownload::emitProgress(bool force)
{
    Job& job = *m_job;
    const qint64 received = job.done + (job.watcher ? job.hashed->load() : job.fileBytes);
    if (!force && received == job.reported)
        return true;
    job.reported = received;
    const quint64 id = job.id;
    const QPointer<HubDownload> self(this);
    Q_EMIT progress(received, job.total, job.file().name);
    // A slot may have cancelled (or cancelled and started again).
    return self && m_job && m_job->id == id;
}

void HubDownload::hashInBackground(const QString& path, qint64 length, std::function<void(const QString&)> done)
{
    Job& job = *m_job;
    job.hashed->store(0);
    job.watcher.reset(new QFutureWatcher<QString>);
    connect(job.watcher.get(), &QFutureWatcherBase::finished, this, [this, done = std::move(done)] {
        const QString error = m_job->watcher->result();
        const auto then = done; // resetting the watcher drops this lambda
        m_job->watcher.reset();
        then(error);
    });
    job.watcher->setFuture(QtConcurrent::run(hashPrefix, path, length, job.hash, job.hashed, job.stopFlag));
}

void HubDownload::begin()
{
    Job& job = *m_job;
    static const QRegularExpression repoName(
        QStringLiteral("^[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)?$"));
    if (!repoName.match(job.repo).hasMatch() || job.repo.contains(QLatin1String(".."))) {
        fail(tr("“%1” is not a model name on the hub; names look like gpt2 or openai-community/gpt2-large.")
                 .arg(job.repo));
        return;
    }
    static const QRegularExpression revisionName(
        QStringLiteral("^[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)*$"));
    if (!job.revision.isEmpty()
        && (!revisionName.match(job.revision).hasMatch() || job.revision.contains(QLatin1String("..")))) {
        fail(tr("“%1” is not a revision name; revisions are branches, tags or commits such as main or float16.")
                 .arg(job.revision));
        return;
    }
    const QString scheme = job.base.scheme();
    if (!job.base.isValid() || (scheme != QLatin1String("https") && scheme != QLatin1String("http"))) {
        fail(tr("The hub address “%1” is not an http(s) address.").arg(job.base.toDisplayString()));
        return;
    }
    if (job.dir.isEmpty()) {
        fail(tr("No folder was given to download %1 into.").arg(job.repo));
        return;
    }
    job.dir = QDir::cleanPath(QDir(job.dir).absolutePath());

    // The destination first: no point asking the hub when the model cannot be saved.
    std::error_code ec;
    std::filesystem::create_directories(fsPath(job.dir), ec);
    if (ec || !QFileInfo(job.dir).isDir()) {
        fail(tr("Cannot create the folder %1: %2")
                 .arg(native(job.dir), ec ? QString::fromStdString(ec.message()) : tr("a file has that name")));
        return;
    }
    QTemporaryFile probe(job.dir + QLatin1String("/.fabula-write-test-XXXXXX"));
    if (!probe.open()) {
        fail(tr("Cannot write in the folder %1: %2").arg(native(job.dir), probe.errorString()));
        return;
    }
    probe.close();

    QString api = QLatin1String("/api/models/") + job.repo;
    if (!job.revision.isEmpty())
        api += QLatin1String("/revision/") + revisionPath(job.revision);
    job.redirects = 0;
    job.reply = get(hubUrl(job.base, api, QStringLiteral("blobs=true")), false);
}

QNetworkReply* HubDownload::get(const QUrl& url, bool file)
{
    Job& job = *m_job;
    QNetworkRequest req = hubRequest(url);
    if (!job.token.isEmpty() && sameOrigin(url, job.base))
        req.setRawHeader("Authorization", "Bearer " + job.token.toUtf8());
    QNetworkReply* reply;
    if (file) {
        // Byte ranges must count the file's bytes, not a compressed stream's.
        req.setRawHeader("Accept-Encoding", "identity");
        if (job.fileBytes > 0)
            req.setRawHeader("Range", "bytes=" + QByteArray::number(job.fileBytes) + '-');
        job.response = Job::Response::Unchecked;
        reply = m_nam->get(req);
        connect(reply, &QNetworkReply::readyRead, this, &HubDownload::onReadyRead);
        connect(reply, &QNetworkReply::finished, this, &HubDownload::onFileFinished);
    } else {
        req.setRawHeader("Accept", "application/json");
        reply = m_nam->get(req);
        connect(reply, &QNetworkReply::finished, this, &HubDownload::onMetadataFinished);
    }
    return reply;
}

// Follows a 3xx answer as Qt's NoLessSafeRedirectPolicy would (never from
// https to http), at most kMaxRedirects times; get() adds the token only when
// the target is the hub itself. Returns false when `reply` is no redirect.
bool HubDownload::followRedirect(QNetworkReply* reply, const std::function<void(const QUrl&)>& again)
{
    Job& job = *m_job;
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QUrl location = reply->attribute(QNetworkRequest::RedirectionTargetAttribute).toUrl();
    if (status < 300 || status >= 400 || location.isEmpty())
        return false;
    const QUrl target = reply->url().resolved(location);
    const bool safe = target.isValid()
                      && (target.scheme() == QLatin1String("https")
                          || (target.scheme() == QLatin1String("http") && reply->url().scheme() == QLatin1String("http")));
    if (!safe || ++job.redirects > kMaxRedirects)
        return false;
    again(target);
    return true;
}

// A 401 or 403: what it means depends on whether a token was sent.
QString HubDownload::refusedMessage(int status, const QString& what) const
{
    const Job& job = *m_job;
    if (job.token.isEmpty())
        return tr("%1 is gated or private: the hub lets only signed-in users who were given access download %2 "
                  "(HTTP %3). Accept the model's terms on its hub page, then enter an access token from your hub "
                  "account and download again.")
            .arg(job.repo, what)
            .arg(status);
    if (status == 401)
        return tr("The hub did not accept the access token for %1 (HTTP 401). Check the token in your hub "
                  "account's settings and enter it again.")
            .arg(job.repo);
    return tr("The hub refused access to %1 with this token (HTTP 403): %2 is gated. Accept the model's terms on "
              "its hub page with the account the token belongs to, then download again.")
        .arg(what, job.repo);
}

// Chooses the files to fetch from the hub's list: the small ones, then
// model.safetensors or the index and every shard, with their sizes and
// checksums. Fails (and returns false) naming why a repository cannot be used.
bool HubDownload::planFiles(const QByteArray& body, HubModelInfo& info)
{
    Job& job = *m_job;
    info.repo = job.repo;
    info.revision = job.revision;
    // The names first, to know which layout the weights have; the checked
    // parser below validates every file that will be fetched.
    const QJsonObject doc = QJsonDocument::fromJson(body).object();
    QStringList listed;
    for (const QJsonValue& sibling : doc.value(QLatin1String("siblings")).toArray())
        listed << sibling.toObject().value(QLatin1String("rfilename")).toString();
    const QJsonValue gated = doc.value(QLatin1String("gated"));
    info.gated = gated.isString() ? !gated.toString().isEmpty() && gated.toString() != QLatin1String("false")
                                  : gated.toBool(false);
    info.license = doc.value(QLatin1String("cardData")).toObject().value(QLatin1String("license")).toString();

    std::vector<std::string> names;
    std::vector<bool> required;
    for (const char* small : kSmallFiles) {
        names.emplace_back(small);
        required.push_back(std::string_view(small) == "config.json");
    }
    if (!listed.contains(kSingleWeights) && listed.contains(kIndex)) {
        // Shards as transformers names them: model-00001-of-00004.safetensors.
        static const QRegularExpression shard(QStringLiteral("^model-(\\d+)-of-(\\d+)\\.safetensors$"));
        QStringList shards;
        int count = -1;
        bool consistent = true;
        for (const QString& name : listed) {
            const auto m = shard.match(name);
            if (!m.hasMatch())
                continue;
            shards << name;
            consistent = consistent && (count < 0 || count == m.captured(2).toInt());
            count = m.captured(2).toInt();
        }
        shards.sort();
        shards.removeDuplicates();
        if (shards.isEmpty() || !consistent || shards.size() != count) {
            fail(tr("%1 has %2 but not the %3 shards it names, so its weights cannot be downloaded whole.")
                     .arg(job.repo, kIndex, count > 0 ? QString::number(count) : tr("model-…-of-….safetensors")));
            return false;
        }
        names.push_back(kIndex.toStdString());
        required.push_back(true);
        for (const QString& name : shards) {
            names.push_back(name.toStdString());
            required.push_back(true);
        }
        info.shards = int(shards.size());
    } else {
        names.push_back(kSingleWeights.toStdString());
        required.push_back(true);
    }
    std::vector<HubWantedFile> wanted;
    for (size_t i = 0; i < names.size(); ++i)
        wanted.push_back({names[i].c_str(), required[i]});

    const HubMetadata metadata = parse_hub_metadata(std::string_view(body.constData(), size_t(body.size())), wanted);
    const QString problemFile = QString::fromStdString(metadata.problem_file);
    switch (metadata.problem) {
    case HubMetadata::Problem::None:
        break;
    case HubMetadata::Problem::NotAFileList:
        fail(tr("The hub's answer about %1 is not a model's file list.").arg(job.repo));
        return false;
    case HubMetadata::Problem::NoSafetensors: {
        QStringList others;
        for (const QString& name : listed)
            if (otherWeightFormat(name))
                others << name;
        others.sort();
        if (others.size() > 3)
            others = others.mid(0, 3) << QStringLiteral("…");
        fail(others.isEmpty()
                 ? tr("%1 has no model.safetensors (nor %2 with its shards); Fabula can only use models saved in "
                      "the safetensors format.").arg(job.repo, kIndex)
                 : tr("%1 has no model.safetensors (nor %2 with its shards): its weights are only in %3, a format "
                      "Fabula does not read. Fabula can only use models saved in the safetensors format; another "
                      "revision of the repository may have them.").arg(job.repo, kIndex, others.join(QLatin1String(", "))));
        return false;
    }
    case HubMetadata::Problem::MissingRequired:
        fail(tr("%1 has no %2, so it is not a complete model folder.").arg(job.repo, problemFile));
        return false;
    case HubMetadata::Problem::NoChecksum:
        fail(tr("The hub does not list the size and checksum of %1 in %2, so the download cannot be checked.")
                 .arg(problemFile, job.repo));
        return false;
    }
    const bool tokenizer = listed.contains(QLatin1String("tokenizer.json"))
                           || listed.contains(QLatin1String("tokenizer.model"))
                           || (listed.contains(QLatin1String("vocab.json")) && listed.contains(QLatin1String("merges.txt")));
    if (!tokenizer) {
        fail(tr("%1 has no tokenizer (tokenizer.json, tokenizer.model, or vocab.json with merges.txt), so it is not "
                "a complete model folder.").arg(job.repo));
        return false;
    }
    for (const HubFile& listedFile : metadata.files) {
        FileSpec spec;
        spec.name = QString::fromStdString(listedFile.name);
        spec.size = listedFile.size;
        spec.sha256 = QByteArray::fromStdString(listedFile.sha256);
        spec.blobId = QByteArray::fromStdString(listedFile.blob_id);
        info.files << spec.name;
        job.files.push_back(std::move(spec));
    }
    info.totalBytes = metadata.total_bytes;
    return true;
}

void HubDownload::onMetadataFinished()
{
    Job& job = *m_job;
    QNetworkReply* reply = std::exchange(job.reply, nullptr);
    reply->deleteLater();
    if (followRedirect(reply, [this](const QUrl& url) { m_job->reply = get(url, false); }))
        return;
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status == 401 && !job.token.isEmpty()) {
        fail(refusedMessage(status, job.repo));
        return;
    }
    if (status == 401 || status == 404) {
        // The hub answers 401 for a repository that does not exist (or is private).
        const QString name = job.revision.isEmpty() ? job.repo : job.repo + QLatin1Char('@') + job.revision;
        fail(job.token.isEmpty() ? tr("The hub has no public model named “%1”. If it is private, enter an access "
                                      "token from your hub account.").arg(name)
                                 : tr("The hub has no model named “%1” that this token can see.").arg(name));
        return;
    }
    if (status == 403) {
        fail(refusedMessage(status, job.repo));
        return;
    }
    if (status >= 300 && status < 400) {
        fail(tr("The hub sent the file list of %1 to an address Fabula does not follow.").arg(job.repo));
        return;
    }
    if (status >= 400) {
        fail(tr("The hub answered “%1 %2” when asked about %3.")
                 .arg(status)
                 .arg(reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString(), job.repo));
        return;
    }
    if (reply->error() != QNetworkReply::NoError) {
        fail(tr("Cannot reach the hub at %1: %2").arg(job.base.toDisplayString(), reply->errorString()));
        return;
    }

    HubModelInfo info;
    if (!planFiles(reply->readAll(), info))
        return;
    job.total = info.totalBytes;

    const quint64 id = job.id;
    const QPointer<HubDownload> self(this);
    Q_EMIT metadataReady(info);
    if (!self || !m_job || m_job->id != id)
        return;

    // Room for what is not on disk yet.
    qint64 needed = 0;
    for (job.index = 0; job.index < job.files.size(); ++job.index) {
        const qint64 size = job.file().size;
        if (QFileInfo(job.finalPath()).size() == size)
            continue;
        const qint64 part = QFileInfo(job.partPath()).size();
        needed += size - (part <= size ? part : 0);
    }
    job.index = 0;
    const QStorageInfo storage(job.dir);
    const qint64 available = storage.isValid() && storage.isReady() ? storage.bytesAvailable() : -1;
    if (available >= 0 && available < needed) {
        const QLocale locale;
        fail(tr("Not enough free space in %1: the model needs %2 more and %3 is free.")
                 .arg(native(job.dir), locale.formattedDataSize(needed), locale.formattedDataSize(available)));
        return;
    }
    job.ticker.reset(new QTimer);
    connect(job.ticker.get(), &QTimer::timeout, this, [this] { emitProgress(false); });
    job.ticker->start(kProgressIntervalMs);
    nextFile();
}

void HubDownload::nextFile()
{
    Job& job = *m_job;
    if (job.index == job.files.size()) {
        const QString dir = job.dir;
        stop();
        Q_EMIT finished(dir);
        return;
    }
    const FileSpec& spec = job.file();
    const QFileInfo installed(job.finalPath());
    if (!installed.isFile() || installed.size() != spec.size) {
        resumeFile();
        return;
    }
    // There from an earlier run: checked again rather than trusted.
    job.hash = spec.newHash();
    hashInBackground(installed.filePath(), spec.size, [this](const QString& error) {
        Job& job = *m_job;
        if (!error.isEmpty() || !job.file().matches(*job.hash)) {
            resumeFile(); // downloaded again; it replaces the file once checked
            return;
        }
        QFile::remove(job.partPath());
        job.done += job.file().size;
        if (!emitProgress(true))
            return;
        ++job.index;
        nextFile();
    });
}

void HubDownload::resumeFile()
{
    Job& job = *m_job;
    const FileSpec& spec = job.file();
    const QFileInfo part(job.partPath());
    const qint64 have = part.isFile() ? part.size() : 0;
    if (have <= 0 || have > spec.size) {
        startFileDownload(0);
        return;
    }
    // The resumed download's checksum covers the bytes already there.
    job.hash = spec.newHash();
    hashInBackground(part.filePath(), have, [this, have](const QString& error) {
        Job& job = *m_job;
        if (!error.isEmpty()) {
            fail(tr("Cannot read %1: %2").arg(native(job.partPath()), error));
            return;
        }
        if (have < job.file().size) {
            startFileDownload(have);
            return;
        }
        // Complete, but stopped before it was checked and renamed.
        job.fileBytes = have;
        if (job.file().matches(*job.hash))
            installFile();
        else
            startFileDownload(0);
    });
}

// From `offset` on, with job.hash holding the hash of the bytes before it.
void HubDownload::startFileDownload(qint64 offset)
{
    Job& job = *m_job;
    const FileSpec& spec = job.file();
    if (offset == 0)
        job.hash = spec.newHash();
    job.fileBytes = offset;
    job.response = Job::Response::Unchecked;
    job.part.setFileName(job.partPath());
    const QIODevice::OpenMode mode = QIODevice::WriteOnly | QIODevice::Unbuffered
                                     | (offset > 0 ? QIODevice::Append : QIODevice::Truncate);
    if (!job.part.open(mode)) {
        fail(tr("Cannot write %1: %2").arg(native(job.partPath()), job.part.errorString()));
        return;
    }
    job.redirects = 0;
    job.reply = get(hubUrl(job.base, QLatin1Char('/') + job.repo + QLatin1String("/resolve/")
                                         + revisionPath(job.revision) + QLatin1Char('/') + spec.name),
                    true);
    emitProgress(true);
}

// Decides, on the first bytes of the answer, whether the body is the file.
// Returns false when the job was stopped.
bool HubDownload::acceptResponse()
{
    Job& job = *m_job;
    const int status = job.reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status == 200) {
        if (job.fileBytes > 0) { // the server ignored the Range: start over
            if (!job.part.resize(0)) {
                fail(tr("Cannot write %1: %2").arg(native(job.partPath()), job.part.errorString()));
                return false;
            }
            job.hash = job.file().newHash();
            job.fileBytes = 0;
        }
        job.response = Job::Response::Writing;
    } else if (status == 206) {
        static const QRegularExpression contentRange(QStringLiteral("^bytes (\\d+)-\\d+/(\\d+|\\*)$"));
        const auto match = contentRange.match(QString::fromLatin1(job.reply->rawHeader("Content-Range")).trimmed());
        if (!match.hasMatch() || match.captured(1).toLongLong() != job.fileBytes) {
            job.part.close();
            QFile::remove(job.partPath());
            fail(tr("The hub sent the wrong part of %1; start the download again.").arg(job.file().name));
            return false;
        }
        job.response = Job::Response::Writing;
    } else {
        job.response = Job::Response::Ignoring; // an error page; reported when the reply finishes
    }
    return true;
}

void HubDownload::onReadyRead()
{
    Job& job = *m_job;
    if (job.response == Job::Response::Unchecked && !acceptResponse())
        return;
    if (job.response == Job::Response::Ignoring) {
        job.reply->readAll();
        return;
    }
    writeAvailable();
}

// Appends what arrived to the .part and the hash. Returns false when the job was stopped.
bool HubDownload::writeAvailable()
{
    Job& job = *m_job;
    const QByteArray chunk = job.reply->readAll();
    if (chunk.isEmpty())
        return true;
    const FileSpec& spec = job.file();
    if (job.fileBytes + chunk.size() > spec.size) {
        job.part.close();
        QFile::remove(job.partPath());
        fail(tr("%1 is corrupted (the hub sent more than the %2 bytes it lists); download it again.")
                 .arg(spec.name)
                 .arg(spec.size));
        return false;
    }
    // A short write (a full disk, a size limit) is retried to learn the reason.
    for (qint64 written = 0; written < chunk.size();) {
        const qint64 n = job.part.write(chunk.constData() + written, chunk.size() - written);
        if (n <= 0) {
            fail(tr("Cannot write %1: %2")
                     .arg(native(job.partPath()), job.part.error() != QFileDevice::NoError
                                                      ? job.part.errorString()
                                                      : tr("the disk may be full")));
            return false;
        }
        written += n;
    }
    job.hash->addData(chunk);
    job.fileBytes += chunk.size();
    return true;
}

void HubDownload::onFileFinished()
{
    Job& job = *m_job;
    QNetworkReply* reply = job.reply;
    if (job.response == Job::Response::Unchecked
        && reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).isValid() && !acceptResponse())
        return;
    if (job.response == Job::Response::Writing && !writeAvailable())
        return;
    job.reply = nullptr;
    reply->deleteLater();
    const FileSpec& spec = job.file();
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    // The .part stays open: the redirected request appends from the same byte.
    if (job.response == Job::Response::Ignoring
        && followRedirect(reply, [this](const QUrl& url) { m_job->reply = get(url, true); }))
        return;
    if (status >= 300 && status < 400) {
        job.part.close();
        fail(tr("The hub sent %1 to an address Fabula does not follow: %2").arg(spec.name, reply->errorString()));
        return;
    }
    if (status >= 400) {
        job.part.close();
        if (status == 416) // the hub's file is not what its listing says: start clean next time
            QFile::remove(job.partPath());
        if (status == 401 || status == 403)
            fail(refusedMessage(status, spec.name));
        else if (status == 404)
            fail(tr("The hub has no %1 for %2 (HTTP %3).").arg(spec.name, job.repo).arg(status));
        else
            fail(tr("The hub answered “%1 %2” for %3.")
                     .arg(status)
                     .arg(reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString(), spec.name));
        return;
    }
    if (reply->error() != QNetworkReply::NoError) {
        job.part.close();
        const QString why = reply->error() == QNetworkReply::OperationCanceledError
                                ? tr("the hub stopped sending data")
                                : reply->errorString();
        fail(tr("Downloading %1 stopped: %2. Start the download again to continue where it stopped.")
                 .arg(spec.name, why));
        return;
    }
    // Qt does not always report a connection closed before Content-Length as
    // an error, so a short file is a stop like any other: what arrived is kept
    // and the next start resumes from it (a hub whose file really is shorter
    // answers that range with 416, which starts the file clean).
    if (job.fileBytes < spec.size) {
        job.part.close();
        fail(tr("Downloading %1 stopped after %2 of its %3 bytes. Start the download again to continue where it "
                "stopped.")
                 .arg(spec.name)
                 .arg(job.fileBytes)
                 .arg(spec.size));
        return;
    }
    if (!job.file().matches(*job.hash)) {
        job.part.close();
        QFile::remove(job.partPath());
        fail(tr("%1 is corrupted (checksum mismatch); download it again.").arg(spec.name));
        return;
    }
    installFile();
}

// Renames the checked .part over the final name and moves on.
void HubDownload::installFile()
{
    Job& job = *m_job;
    job.part.close();
    if (job.part.error() != QFileDevice::NoError) {
        fail(tr("Cannot write %1: %2").arg(native(job.partPath()), job.part.errorString()));
        return;
    }
    std::error_code ec;
    std::filesystem::rename(fsPath(job.partPath()), fsPath(job.finalPath()), ec);
    if (ec) {
        fail(tr("Cannot rename %1 to %2: %3")
                 .arg(native(job.partPath()), job.file().name, QString::fromStdString(ec.message())));
        return;
    }
    job.done += job.file().size;
    job.fileBytes = 0;
    if (!emitProgress(true))
        return;
    ++job.index;
    nextFile();
}

} // namespace fabula::ui
