// HubDownload against tests/ui/fake_hub.py, a local stand-in for the Hugging
// Face hub serving a tiny GPT-2 and a sharded tiny Llama made at test time,
// with injected faults, a gated repository and revisions.
#include "ui/hub_download.h"
#include "ui/model_summary.h"

#include <QDir>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTimer>
#include <QtTest>

#include <functional>
#include <memory>

#ifdef Q_OS_LINUX
#include <csignal>
#include <sys/resource.h>
#endif

using fabula::ui::HubDownload;
using fabula::ui::HubModelInfo;

namespace {

const QString kRepo = QStringLiteral("tiny/gpt2");
const QString kNoWeightsRepo = QStringLiteral("noweights");
const QStringList kModelFiles = {QStringLiteral("config.json"), QStringLiteral("generation_config.json"),
                                 QStringLiteral("merges.txt"), QStringLiteral("model.safetensors"),
                                 QStringLiteral("vocab.json")};
const QString kWeights = QStringLiteral("model.safetensors");
const QString kShardedRepo = QStringLiteral("tiny/llama-sharded");
const QString kGatedRepo = QStringLiteral("gated/gpt2");
const QString kPickleRepo = QStringLiteral("pickle/gpt2"); // main: only pytorch_model.bin
const QString kToken = QStringLiteral("hf_SecretTestToken123");

// Everything Qt's message handler sees while a test runs, to prove the token never shows.
QStringList g_messages;
QtMessageHandler g_previousHandler = nullptr;
void captureMessages(QtMsgType type, const QMessageLogContext& context, const QString& message)
{
    g_messages << message;
    if (g_previousHandler)
        g_previousHandler(type, context, message);
}

QString testsDir() { return QStringLiteral(FABULA_SOURCE_DIR "/tests"); }

QByteArray readAll(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

QStringList sorted(QStringList list)
{
    list.sort();
    return list;
}

// fake_hub.py in a child process; it exits when we close its stdin.
class FakeHub {
public:
    explicit FakeHub(const QStringList& repos, const QStringList& options = {})
    {
        m_log = m_dir.filePath(QStringLiteral("requests.log"));
        m_process.setProgram(QStringLiteral(FABULA_PYTHON));
        m_process.setArguments(QStringList{testsDir() + QStringLiteral("/ui/fake_hub.py")} + repos + options
                               + QStringList{QStringLiteral("--log"), m_log});
        m_process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        m_process.start();
        while (!m_process.canReadLine() && m_process.waitForReadyRead(30000)) {
        }
        m_port = m_process.readLine().trimmed().toInt();
    }
    ~FakeHub()
    {
        m_process.closeWriteChannel();
        if (!m_process.waitForFinished(10000)) {
            m_process.kill();
            m_process.waitForFinished();
        }
    }
    bool ok() const { return m_port > 0; }
    QUrl url() const { return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_port)); }
    // "GET <path> range=<Range header or ->", one per request so far.
    QStringList requests() const
    {
        return QString::fromUtf8(readAll(m_log)).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    }

private:
    QTemporaryDir m_dir;
    QString m_log;
    QProcess m_process;
    int m_port = 0;
};

struct Result {
    QString end;  // "finished", "failed", "cancelled"; empty when it timed out
    QString text; // the folder or the message
    QList<HubModelInfo> metadata;
    qint64 received = -1, total = -1; // the last progress()
    bool monotonic = true;
    int progressCount = 0;
};

using ProgressHook = std::function<void(HubDownload&, qint64 received, const QString& file)>;

Result download(HubDownload& dl, const QString& repo, const QString& dest, const ProgressHook& hook = {},
                const QString& revision = QString())
{
    Result r;
    QEventLoop loop;
    const auto end = [&](const char* how, const QString& text) {
        QVERIFY2(r.end.isEmpty(), "two ends for one start()");
        r.end = QLatin1String(how);
        r.text = text;
        qInfo("%s: %s", how, qPrintable(text));
        loop.quit();
    };
    const QList<QMetaObject::Connection> connections = {
        QObject::connect(&dl, &HubDownload::metadataReady, [&](const HubModelInfo& info) { r.metadata << info; }),
        QObject::connect(&dl, &HubDownload::progress,
                         [&](qint64 received, qint64 total, const QString& file) {
                             r.monotonic = r.monotonic && received >= r.received && received <= total;
                             r.received = received;
                             r.total = total;
                             ++r.progressCount;
                             if (hook)
                                 hook(dl, received, file);
                         }),
        QObject::connect(&dl, &HubDownload::finished, [&](const QString& dir) { end("finished", dir); }),
        QObject::connect(&dl, &HubDownload::failed, [&](const QString& message) { end("failed", message); }),
        QObject::connect(&dl, &HubDownload::cancelled, [&] { end("cancelled", QString()); }),
    };
    QTimer::singleShot(120000, &loop, &QEventLoop::quit);
    dl.start(repo, dest, revision);
    if (!dl.isRunning())
        qWarning("start() did not start");
    loop.exec();
    for (const auto& c : connections)
        QObject::disconnect(c);
    return r;
}

} // namespace

class TestHubDownload : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void fullDownload_data();
    void fullDownload();
    void completeFolderIsCheckedNotDownloaded();
    void completePartIsInstalled();
    void droppedConnectionResumes_data();
    void droppedConnectionResumes();
    void serverIgnoringRangeRestarts();
    void corruptedFile_data();
    void corruptedFile();
    void cancelKeepsPart();
    void destroyedWhileRunning();
    void repoWithoutSafetensors();
    void unknownRepo();
    void unwritableDestination();
    void unwritablePart();
    void writeErrorMidway();
    void hubUnreachable();
    void invalidRepoName();
    void shardedDownload();
    void shardedResumesAndChecks();
    void shardedCorruptShard();
    void gatedNeedsToken_data();
    void gatedNeedsToken();
    void pytorchOnlyIsRefusedWithReason();
    void revisionWithSafetensors();
    void invalidRevision();

private:
    QString newDest(const QString& name) { return m_tmp.filePath(name); }
    qint64 sourceSize(const QString& file) const { return QFileInfo(m_model + QLatin1Char('/') + file).size(); }
    qint64 sourceTotal() const
    {
        qint64 total = 0;
        for (const QString& f : kModelFiles)
            total += sourceSize(f);
        return total;
    }
    void verifySameAsSource(const QString& dest);
    QStringList hubArgs() const
    {
        return {kRepo + QLatin1Char('=') + m_model, kNoWeightsRepo + QLatin1Char('=') + m_noWeights,
                kShardedRepo + QLatin1Char('=') + m_sharded, kGatedRepo + QLatin1Char('=') + m_model,
                kPickleRepo + QLatin1Char('=') + m_noWeights,
                kPickleRepo + QStringLiteral("@safetensors=") + m_model,
                QStringLiteral("--gated"), kGatedRepo + QLatin1Char('=') + kToken};
    }
    QStringList shardedFiles() const { return QDir(m_sharded).entryList(QDir::Files); }
    QStringList shards() const { return QDir(m_sharded).entryList({QStringLiteral("model-*.safetensors")}, QDir::Files); }
    void verifySameAsSharded(const QString& dest);

    QTemporaryDir m_tmp;
    QString m_model;     // the tiny GPT-2 the fake hub serves as tiny/gpt2
    QString m_noWeights; // a repository with only pytorch_model.bin
    QString m_sharded;   // a tiny Llama in shards, with model.safetensors.index.json
};

void TestHubDownload::initTestCase()
{
    QVERIFY(m_tmp.isValid());
    m_model = m_tmp.filePath(QStringLiteral("source/tiny"));
    QProcess make;
    make.setProcessChannelMode(QProcess::ForwardedChannels);
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("HF_HUB_DISABLE_PROGRESS_BARS"), QStringLiteral("1"));
    make.setProcessEnvironment(env);
    make.start(QStringLiteral(FABULA_PYTHON),
               {QStringLiteral("-c"),
                QStringLiteral("import sys; sys.path.insert(0, sys.argv[1]); from model_fixtures import make_model; "
                               "make_model(sys.argv[2], n_layer=1, n_head=2, n_embd=16, n_positions=32)"),
                testsDir() + QStringLiteral("/python"), m_model});
    QVERIFY(make.waitForFinished(300000));
    QCOMPARE(make.exitCode(), 0);
    for (const QString& f : kModelFiles)
        QVERIFY2(QFileInfo(m_model + QLatin1Char('/') + f).size() > 0, qPrintable(f));
    QVERIFY(sourceSize(kWeights) > 1000000); // big enough to stop in the middle
    // A file the hub lists that a GPT-2 folder does not need.
    QFile readme(m_model + QStringLiteral("/README.md"));
    QVERIFY(readme.open(QIODevice::WriteOnly));
    readme.write("# tiny\n");
    readme.close();

    m_noWeights = m_tmp.filePath(QStringLiteral("source/noweights"));
    QVERIFY(QDir().mkpath(m_noWeights));
    for (const char* f : {"config.json", "vocab.json", "merges.txt"})
        QVERIFY(QFile::copy(m_model + QLatin1Char('/') + QLatin1String(f), m_noWeights + QLatin1Char('/') + QLatin1String(f)));
    QFile bin(m_noWeights + QStringLiteral("/pytorch_model.bin"));
    QVERIFY(bin.open(QIODevice::WriteOnly));
    bin.write(QByteArray(4096, 'x'));
    bin.close();

    // A Llama-family model saved by transformers in shards of at most 2 MB.
    m_sharded = m_tmp.filePath(QStringLiteral("source/sharded"));
    QProcess shard;
    shard.setProcessChannelMode(QProcess::ForwardedChannels);
    shard.setProcessEnvironment(env);
    shard.start(QStringLiteral(FABULA_PYTHON),
                {QStringLiteral("-c"),
                 QStringLiteral("import sys, json; sys.path.insert(0, sys.argv[1]); "
                                "from model_fixtures import save_random_model; from transformers import LlamaConfig; "
                                "cfg = LlamaConfig(vocab_size=50257, hidden_size=32, intermediate_size=64, "
                                "num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2, "
                                "max_position_embeddings=64, tie_word_embeddings=False, bos_token_id=50256, "
                                "eos_token_id=50256); "
                                "p = save_random_model(sys.argv[2], cfg, max_shard_size='2MB'); "
                                "(p / 'tokenizer_config.json').write_text(json.dumps({'model_max_length': 64})); "
                                "(p / 'special_tokens_map.json').write_text(json.dumps({'eos_token': '<|endoftext|>'}))"),
                 testsDir() + QStringLiteral("/python"), m_sharded});
    QVERIFY(shard.waitForFinished(300000));
    QCOMPARE(shard.exitCode(), 0);
    QVERIFY(QFileInfo::exists(m_sharded + QStringLiteral("/model.safetensors.index.json")));
    QVERIFY(!QFileInfo::exists(m_sharded + QLatin1Char('/') + kWeights));
    QVERIFY2(shards().size() >= 2, qPrintable(shards().join(QLatin1Char(' '))));
    g_previousHandler = qInstallMessageHandler(captureMessages);
}

void TestHubDownload::verifySameAsSharded(const QString& dest)
{
    QCOMPARE(sorted(QDir(dest).entryList(QDir::Files | QDir::Hidden)), sorted(shardedFiles()));
    for (const QString& f : shardedFiles())
        QVERIFY2(readAll(dest + QLatin1Char('/') + f) == readAll(m_sharded + QLatin1Char('/') + f), qPrintable(f));
}

void TestHubDownload::verifySameAsSource(const QString& dest)
{
    QCOMPARE(sorted(QDir(dest).entryList(QDir::Files | QDir::Hidden)), sorted(kModelFiles));
    for (const QString& f : kModelFiles)
        QVERIFY2(readAll(dest + QLatin1Char('/') + f) == readAll(m_model + QLatin1Char('/') + f), qPrintable(f));
}

void TestHubDownload::fullDownload_data()
{
    QTest::addColumn<bool>("redirect");
    QTest::newRow("direct") << false;
    QTest::newRow("LFS files redirected to a CDN") << true;
}

void TestHubDownload::fullDownload()
{
    QFETCH(bool, redirect);
    FakeHub hub(hubArgs(), redirect ? QStringList{QStringLiteral("--redirect")} : QStringList{});
    QVERIFY(hub.ok());
    HubDownload dl;
    dl.setBaseUrl(hub.url());
    const QString dest = newDest(QStringLiteral("Modèles/full-%1").arg(redirect)); // created, non-ASCII

    const Result r = download(dl, kRepo, dest);
    QVERIFY2(r.end == QLatin1String("finished"), qPrintable(r.text));
    QCOMPARE(r.text, dest);
    QVERIFY(!dl.isRunning());

    QCOMPARE(r.metadata.size(), 1);
    QCOMPARE(r.metadata[0].repo, kRepo);
    QCOMPARE(r.metadata[0].totalBytes, sourceTotal());
    QCOMPARE(sorted(r.metadata[0].files), sorted(kModelFiles));
    QVERIFY(r.monotonic);
    QCOMPARE(r.total, sourceTotal());
    QCOMPARE(r.received, sourceTotal());

    verifySameAsSource(dest);

    const QStringList requests = hub.requests();
    QVERIFY2(requests.contains(QStringLiteral("GET /api/models/tiny/gpt2?blobs=true range=-")),
             qPrintable(requests.join(QLatin1Char('\n'))));
    // Distinct requests: under load Qt may resend a request whose keep-alive
    // connection the server closed at that moment, which is not a second download.
    QStringList resolved = requests.filter(QStringLiteral("/resolve/main/"));
    resolved.removeDuplicates();
    QCOMPARE(resolved.size(), kModelFiles.size());
    QVERIFY(requests.filter(QStringLiteral("README.md")).isEmpty());
    QVERIFY(requests.filter(QStringLiteral("range=bytes")).isEmpty());
    QStringList cdn = requests.filter(QStringLiteral("GET /cdn/tiny/gpt2/model.safetensors"));
    cdn.removeDuplicates();
    QCOMPARE(cdn.size(), redirect ? 1 : 0);
}

void TestHubDownload::completeFolderIsCheckedNotDownloaded()
{
    FakeHub hub(hubArgs());
    QVERIFY(hub.ok());
    HubDownload dl;
    dl.setBaseUrl(hub.url());
    const QString dest = newDest(QStringLiteral("again"));
    Result r = download(dl, kRepo, dest);
    QVERIFY2(r.end == QLatin1String("finished"), qPrintable(r.text));
    const int before = hub.requests().size();

    // Complete and intact: only the file list is fetched.
    r = download(dl, kRepo, dest);
    QVERIFY2(r.end == QLatin1String("finished"), qPrintable(r.text));
    QCOMPARE(r.received, sourceTotal());
    QCOMPARE(hub.requests().mid(before), QStringList{QStringLiteral("GET /api/models/tiny/gpt2?blobs=true range=-")});

    // A damaged file (same size) is noticed and fetched again, alone.
    const QString config = dest + QStringLiteral("/config.json");
    QByteArray bytes = readAll(config);
    bytes[1] = bytes[1] == ' ' ? '\t' : ' ';
    {
        QFile f(config);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(bytes);
    }
    const int middle = hub.requests().size();
    r = download(dl, kRepo, dest);
    QVERIFY2(r.end == QLatin1String("finished"), qPrintable(r.text));
    QCOMPARE(hub.requests().mid(middle).filter(QStringLiteral("/resolve/main/")),
             QStringList{QStringLiteral("GET /tiny/gpt2/resolve/main/config.json range=-")});
    verifySameAsSource(dest);
}

// A run that stopped between the last byte and the rename left a whole .part.
void TestHubDownload::completePartIsInstalled()
{
    FakeHub hub(hubArgs());
    QVERIFY(hub.ok());
    const QString dest = newDest(QStringLiteral("whole-part"));
    QVERIFY(QDir().mkpath(dest));
    QVERIFY(QFile::copy(m_model + QLatin1Char('/') + kWeights, dest + QStringLiteral("/model.safetensors.part")));
    HubDownload dl;
    dl.setBaseUrl(hub.url());
    const Result r = download(dl, kRepo, dest);
    QVERIFY2(r.end == QLatin1String("finished"), qPrintable(r.text));
    QVERIFY(hub.requests().filter(kWeights).isEmpty());
    verifySameAsSource(dest);
}

void TestHubDownload::droppedConnectionResumes_data()
{
    QTest::addColumn<bool>("redirect");
    QTest::newRow("direct") << false;
    QTest::newRow("through the CDN redirect") << true;
}

void TestHubDownload::droppedConnectionResumes()
{
    QFETCH(bool, redirect);
    const qint64 dropAfter = 100000;
    QStringList options{QStringLiteral("--drop-after"), QString::number(dropAfter)};
    if (redirect)
        options << QStringLiteral("--redirect");
    FakeHub hub(hubArgs(), options);
    QVERIFY(hub.ok());
    HubDownload dl;
    dl.setBaseUrl(hub.url());
    const QString dest = newDest(QStringLiteral("dropped-%1").arg(redirect));
    const QString part = dest + QStringLiteral("/model.safetensors.part");

    Result r = download(dl, kRepo, dest);
    QVERIFY2(r.end == QLatin1String("failed"), qPrintable(r.end));
    QVERIFY2(r.text.contains(kWeights), qPrintable(r.text));
    QVERIFY(!dl.isRunning());
    QCOMPARE(QFileInfo(part).size(), dropAfter); // what arrived is kept
    QVERIFY(!QFileInfo::exists(dest + QLatin1Char('/') + kWeights));
    QVERIFY(QFileInfo::exists(dest + QStringLiteral("/config.json"))); // finished before the drop
    const int before = hub.requests().size();

    r = download(dl, kRepo, dest);
    QVERIFY2(r.end == QLatin1String("finished"), qPrintable(r.text));
    QVERIFY(r.monotonic);
    QCOMPARE(r.received, sourceTotal());
    const QStringList second = hub.requests().mid(before);
    const QString range = QStringLiteral(" range=bytes=%1-").arg(dropAfter);
    const QString resumed = (redirect ? QStringLiteral("GET /cdn/tiny/gpt2/model.safetensors")
                                      : QStringLiteral("GET /tiny/gpt2/resolve/main/model.safetensors"))
                            + range;
    QVERIFY2(second.contains(resumed), qPrintable(second.join(QLatin1Char('\n'))));
    // The files finished before the drop are checked, not fetched again.
    for (const QString& f : kModelFiles)
        QVERIFY2(f == kWeights || second.filter(QStringLiteral("/resolve/main/") + f).isEmpty(), qPrintable(f));
    verifySameAsSource(dest);
}

void TestHubDownload::serverIgnoringRangeRestarts()
{
    const qint64 dropAfter = 100000;
    FakeHub hub(hubArgs(), {QStringLiteral("--drop-after"), QString::number(dropAfter), QStringLiteral("--no-range")});
    QVERIFY(hub.ok());
    HubDownload dl;
    dl.setBaseUrl(hub.url());
    const QString dest = newDest(QStringLiteral("norange"));
    Result r = download(dl, kRepo, dest);
    QCOMPARE(r.end, QStringLiteral("failed"));
    QCOMPARE(QFileInfo(dest + QStringLiteral("/model.safetensors.part")).size(), dropAfter);

    // Asked for the rest, the server sends the whole file (200): written from the start.
    const int before = hub.requests().size();
    r = download(dl, kRepo, dest);
    QVERIFY2(r.end == QLatin1String("finished"), qPrintable(r.text));
    QVERIFY(hub.requests().mid(before).contains(
        QStringLiteral("GET /tiny/gpt2/resolve/main/model.safetensors range=bytes=%1-").arg(dropAfter)));
    QCOMPARE(r.received, sourceTotal());
    verifySameAsSource(dest);
}

void TestHubDownload::corruptedFile_data()
{
    QTest::addColumn<QString>("file");
    QTest::newRow("LFS file (sha256)") << kWeights;
    QTest::newRow("git file (blob sha1)") << QStringLiteral("vocab.json");
}

void TestHubDownload::corruptedFile()
{
    QFETCH(QString, file);
    FakeHub hub(hubArgs(), {QStringLiteral("--corrupt"), file});
    QVERIFY(hub.ok());
    HubDownload dl;
    dl.setBaseUrl(hub.url());
    const QString dest = newDest(QStringLiteral("corrupt-") + file);

    const Result r = download(dl, kRepo, dest);
    QVERIFY2(r.end == QLatin1String("failed"), qPrintable(r.end));
    QCOMPARE(r.text, file + QStringLiteral(" is corrupted (checksum mismatch); download it again."));
    QVERIFY(!QFileInfo::exists(dest + QLatin1Char('/') + file + QStringLiteral(".part")));
    QVERIFY(!QFileInfo::exists(dest + QLatin1Char('/') + file));
}

void TestHubDownload::cancelKeepsPart()
{
    const qint64 stallAfter = 200000;
    FakeHub hub(hubArgs(), {QStringLiteral("--stall-after"), QString::number(stallAfter)});
    QVERIFY(hub.ok());
    HubDownload dl;
    dl.setBaseUrl(hub.url());
    const QString dest = newDest(QStringLiteral("cancel"));
    const qint64 weightsStart = sourceTotal() - sourceSize(kWeights); // model.safetensors comes last

    bool cancelledFromHook = false;
    const Result r = download(dl, kRepo, dest, [&](HubDownload& d, qint64 received, const QString& file) {
        if (file == kWeights && received > weightsStart && !cancelledFromHook) {
            cancelledFromHook = true;
            d.cancel();
            QVERIFY(!d.isRunning());
        }
    });
    QVERIFY(cancelledFromHook);
    QCOMPARE(r.end, QStringLiteral("cancelled"));
    QVERIFY(!dl.isRunning());
    const qint64 kept = QFileInfo(dest + QStringLiteral("/model.safetensors.part")).size();
    QVERIFY2(kept > 0 && kept <= stallAfter, qPrintable(QString::number(kept)));
    QVERIFY(!QFileInfo::exists(dest + QLatin1Char('/') + kWeights));

    // Nothing more arrives after cancel().
    QTest::qWait(300);
    QCOMPARE(QFileInfo(dest + QStringLiteral("/model.safetensors.part")).size(), kept);
}

void TestHubDownload::destroyedWhileRunning()
{
    FakeHub hub(hubArgs(), {QStringLiteral("--stall-after"), QStringLiteral("200000")});
    QVERIFY(hub.ok());
    const QString dest = newDest(QStringLiteral("destroyed"));
    const QString part = dest + QStringLiteral("/model.safetensors.part");
    int ends = 0;
    auto dl = std::make_unique<HubDownload>();
    dl->setBaseUrl(hub.url());
    QObject::connect(dl.get(), &HubDownload::cancelled, [&] { ++ends; });
    QObject::connect(dl.get(), &HubDownload::failed, [&] { ++ends; });
    QObject::connect(dl.get(), &HubDownload::finished, [&] { ++ends; });
    dl->start(kRepo, dest);
    QTRY_VERIFY_WITH_TIMEOUT(QFileInfo(part).size() > 0, 30000);
    dl.reset();
    QTest::qWait(300); // anything left behind would run (and crash under ASan) now
    QCOMPARE(ends, 0);
    QVERIFY(QFileInfo(part).size() > 0);
}

void TestHubDownload::repoWithoutSafetensors()
{
    FakeHub hub(hubArgs());
    QVERIFY(hub.ok());
    HubDownload dl;
    dl.setBaseUrl(hub.url());
    const QString dest = newDest(QStringLiteral("noweights"));
    const Result r = download(dl, kNoWeightsRepo, dest);
    QCOMPARE(r.end, QStringLiteral("failed"));
    QVERIFY2(r.text.startsWith(QStringLiteral("noweights has no model.safetensors")), qPrintable(r.text));
    QVERIFY2(r.text.contains(QStringLiteral("only in pytorch_model.bin")), qPrintable(r.text));
    QVERIFY(r.metadata.isEmpty());
    QVERIFY(QDir(dest).entryList(QDir::Files | QDir::Hidden).isEmpty());
    QVERIFY(hub.requests().filter(QStringLiteral("/resolve/")).isEmpty());
}

void TestHubDownload::unknownRepo()
{
    FakeHub hub(hubArgs());
    QVERIFY(hub.ok());
    HubDownload dl;
    dl.setBaseUrl(hub.url());
    const Result r = download(dl, QStringLiteral("nobody/nothing"), newDest(QStringLiteral("unknown")));
    QCOMPARE(r.end, QStringLiteral("failed"));
    QVERIFY2(r.text.contains(QStringLiteral("nobody/nothing")), qPrintable(r.text));
}

void TestHubDownload::unwritableDestination()
{
    FakeHub hub(hubArgs());
    QVERIFY(hub.ok());
    const QString blocker = newDest(QStringLiteral("a-file"));
    {
        QFile f(blocker);
        QVERIFY(f.open(QIODevice::WriteOnly));
    }
    const QString dest = blocker + QStringLiteral("/model");
    HubDownload dl;
    dl.setBaseUrl(hub.url());
    const Result r = download(dl, kRepo, dest);
    QCOMPARE(r.end, QStringLiteral("failed"));
    QVERIFY2(r.text.contains(QDir::toNativeSeparators(dest)), qPrintable(r.text));
    QVERIFY(hub.requests().isEmpty()); // found out before asking the hub
}

void TestHubDownload::unwritablePart()
{
    FakeHub hub(hubArgs());
    QVERIFY(hub.ok());
    const QString dest = newDest(QStringLiteral("part-is-a-folder"));
    const QString part = dest + QStringLiteral("/model.safetensors.part");
    QVERIFY(QDir().mkpath(part));
    HubDownload dl;
    dl.setBaseUrl(hub.url());
    const Result r = download(dl, kRepo, dest);
    QCOMPARE(r.end, QStringLiteral("failed"));
    QVERIFY2(r.text.startsWith(QStringLiteral("Cannot write ") + QDir::toNativeSeparators(part)), qPrintable(r.text));
}

// A write that fails halfway through (as on a full disk): the message names
// the file and the reason, and what was written is kept.
void TestHubDownload::writeErrorMidway()
{
#ifndef Q_OS_LINUX
    QSKIP("needs RLIMIT_FSIZE");
#else
    FakeHub hub(hubArgs());
    QVERIFY(hub.ok());
    HubDownload dl;
    dl.setBaseUrl(hub.url());
    const QString dest = newDest(QStringLiteral("write-error"));
    const rlim_t limit = 2 << 20; // above every file but model.safetensors
    QVERIFY(sourceSize(kWeights) > qint64(limit));
    for (const QString& f : kModelFiles)
        QVERIFY(f == kWeights || sourceSize(f) < qint64(limit));

    rlimit saved{};
    QVERIFY(getrlimit(RLIMIT_FSIZE, &saved) == 0);
    const auto previousHandler = std::signal(SIGXFSZ, SIG_IGN); // EFBIG instead of a signal
    rlimit small = saved;
    small.rlim_cur = limit;
    QVERIFY(setrlimit(RLIMIT_FSIZE, &small) == 0);
    const Result r = download(dl, kRepo, dest);
    setrlimit(RLIMIT_FSIZE, &saved);
    std::signal(SIGXFSZ, previousHandler);

    QCOMPARE(r.end, QStringLiteral("failed"));
    const QString part = dest + QStringLiteral("/model.safetensors.part");
    QVERIFY2(r.text.startsWith(QStringLiteral("Cannot write ") + part + QStringLiteral(": ")), qPrintable(r.text));
    QVERIFY2(r.text.contains(QStringLiteral("too large")), qPrintable(r.text));
    QVERIFY(QFileInfo(part).size() > 0);
    QVERIFY(!QFileInfo::exists(dest + QLatin1Char('/') + kWeights));
#endif
}

void TestHubDownload::hubUnreachable()
{
    quint16 port = 0;
    {
        QTcpServer server; // a port nobody listens on once it is closed
        QVERIFY(server.listen(QHostAddress::LocalHost));
        port = server.serverPort();
    }
    HubDownload dl;
    dl.setBaseUrl(QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port)));
    const Result r = download(dl, kRepo, newDest(QStringLiteral("unreachable")));
    QCOMPARE(r.end, QStringLiteral("failed"));
    QVERIFY2(r.text.startsWith(QStringLiteral("Cannot reach the hub")), qPrintable(r.text));
}

void TestHubDownload::invalidRepoName()
{
    HubDownload dl;
    dl.setBaseUrl(QUrl(QStringLiteral("http://127.0.0.1:9")));
    for (const QString& name : {QStringLiteral("../etc"), QStringLiteral("a/b/c"), QString()}) {
        const Result r = download(dl, name, newDest(QStringLiteral("invalid")));
        QCOMPARE(r.end, QStringLiteral("failed"));
        QVERIFY2(r.text.contains(QStringLiteral("not a model name")), qPrintable(r.text));
    }
}


void TestHubDownload::shardedDownload()
{
    FakeHub hub(hubArgs(), {QStringLiteral("--redirect")});
    QVERIFY(hub.ok());
    HubDownload dl;
    dl.setBaseUrl(hub.url());
    const QString dest = newDest(QStringLiteral("sharded"));
    const Result r = download(dl, kShardedRepo, dest);
    QVERIFY2(r.end == QLatin1String("finished"), qPrintable(r.text));
    QCOMPARE(r.metadata.size(), 1);
    QCOMPARE(r.metadata[0].shards, int(shards().size()));
    QCOMPARE(sorted(r.metadata[0].files), sorted(shardedFiles()));
    QCOMPARE(r.metadata[0].license, QStringLiteral("mit"));
    QVERIFY(!r.metadata[0].gated);
    qint64 total = 0;
    for (const QString& f : shardedFiles())
        total += QFileInfo(m_sharded + QLatin1Char('/') + f).size();
    QCOMPARE(r.metadata[0].totalBytes, total);
    QCOMPARE(r.received, total);
    QVERIFY(r.monotonic);
    verifySameAsSharded(dest);
    // The small files come before the weights; every shard came through the CDN redirect.
    const QStringList requests = hub.requests();
    const auto firstIndex = [&](const QString& needle) {
        for (int i = 0; i < requests.size(); ++i)
            if (requests[i].contains(needle))
                return i;
        return -1;
    };
    QVERIFY(firstIndex(QStringLiteral("/resolve/main/config.json")) < firstIndex(QStringLiteral("/resolve/main/model-")));
    QVERIFY(firstIndex(QStringLiteral("tokenizer_config.json")) >= 0);
    QVERIFY(firstIndex(QStringLiteral("special_tokens_map.json")) >= 0);
    for (const QString& s : shards())
        QVERIFY2(firstIndex(QStringLiteral("GET /cdn/tiny/llama-sharded/") + s) >= 0, qPrintable(s));
    // The folder is a model the engine accepts: the index and every shard it names.
    const fabula::ui::ModelSummary facts = fabula::ui::ModelSummary::inspect(dest);
    QVERIFY2(facts.ok(), qPrintable(facts.error));
    QCOMPARE(facts.family, QStringLiteral("Llama"));
}

void TestHubDownload::shardedResumesAndChecks()
{
    const QString second = shards().at(1);
    const qint64 dropAfter = QFileInfo(m_sharded + QLatin1Char('/') + second).size() / 2;
    QVERIFY(dropAfter > 0);
    FakeHub hub(hubArgs(), {QStringLiteral("--drop-after"), QString::number(dropAfter), QStringLiteral("--fault-file"), second});
    QVERIFY(hub.ok());
    HubDownload dl;
    dl.setBaseUrl(hub.url());
    const QString dest = newDest(QStringLiteral("sharded-dropped"));
    Result r = download(dl, kShardedRepo, dest);
    QCOMPARE(r.end, QStringLiteral("failed"));
    QVERIFY2(r.text.contains(second), qPrintable(r.text));
    QCOMPARE(QFileInfo(dest + QLatin1Char('/') + second + QStringLiteral(".part")).size(), dropAfter);
    QVERIFY(QFileInfo::exists(dest + QLatin1Char('/') + shards().at(0))); // finished before the drop

    const int before = hub.requests().size();
    r = download(dl, kShardedRepo, dest);
    QVERIFY2(r.end == QLatin1String("finished"), qPrintable(r.text));
    const QStringList again = hub.requests().mid(before);
    QVERIFY2(again.contains(QStringLiteral("GET /tiny/llama-sharded/resolve/main/%1 range=bytes=%2-").arg(second).arg(dropAfter)),
             qPrintable(again.join(QLatin1Char('\n'))));
    // The first shard is checked on disk, not fetched again.
    QVERIFY(again.filter(QStringLiteral("/resolve/main/") + shards().at(0)).isEmpty());
    verifySameAsSharded(dest);

    // A shard damaged on disk (same size) is noticed by its checksum and fetched again.
    const QString first = dest + QLatin1Char('/') + shards().at(0);
    QByteArray bytes = readAll(first);
    bytes[bytes.size() / 2] = char(bytes[bytes.size() / 2] ^ 0x55);
    {
        QFile f(first);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(bytes);
    }
    const int middle = hub.requests().size();
    r = download(dl, kShardedRepo, dest);
    QVERIFY2(r.end == QLatin1String("finished"), qPrintable(r.text));
    QCOMPARE(hub.requests().mid(middle).filter(QStringLiteral("/resolve/main/")),
             QStringList{QStringLiteral("GET /tiny/llama-sharded/resolve/main/%1 range=-").arg(shards().at(0))});
    verifySameAsSharded(dest);
}

void TestHubDownload::shardedCorruptShard()
{
    const QString last = shards().last();
    FakeHub hub(hubArgs(), {QStringLiteral("--corrupt"), last});
    QVERIFY(hub.ok());
    HubDownload dl;
    dl.setBaseUrl(hub.url());
    const QString dest = newDest(QStringLiteral("sharded-corrupt"));
    const Result r = download(dl, kShardedRepo, dest);
    QCOMPARE(r.end, QStringLiteral("failed"));
    QCOMPARE(r.text, last + QStringLiteral(" is corrupted (checksum mismatch); download it again."));
    QVERIFY(!QFileInfo::exists(dest + QLatin1Char('/') + last));
    QVERIFY(!QFileInfo::exists(dest + QLatin1Char('/') + last + QStringLiteral(".part")));
}

void TestHubDownload::gatedNeedsToken_data()
{
    QTest::addColumn<bool>("redirect");
    QTest::newRow("direct") << false;
    // The CDN is another host (localhost, not 127.0.0.1): the token must not follow the redirect.
    QTest::newRow("LFS files redirected to another host") << true;
}

void TestHubDownload::gatedNeedsToken()
{
    QFETCH(bool, redirect);
    QStringList options;
    if (redirect)
        options << QStringLiteral("--redirect") << QStringLiteral("--cdn-host") << QStringLiteral("localhost");
    FakeHub hub(hubArgs(), options);
    QVERIFY(hub.ok());
    g_messages.clear();
    QStringList seen; // every message and file name the signals carried
    const QString dest = newDest(QStringLiteral("gated-%1").arg(redirect));

    HubDownload dl;
    dl.setBaseUrl(hub.url());
    QObject::connect(&dl, &HubDownload::progress, [&](qint64, qint64, const QString& file) { seen << file; });
    QObject::connect(&dl, &HubDownload::metadataReady, [&](const HubModelInfo& info) {
        seen << info.repo << info.license << info.files;
        QVERIFY(info.gated);
    });

    // Without a token: the hub's 401 says the repository is gated and asks for one.
    Result r = download(dl, kGatedRepo, dest);
    QCOMPARE(r.end, QStringLiteral("failed"));
    seen << r.text;
    QVERIFY2(r.text.contains(QStringLiteral("gated")) && r.text.contains(QStringLiteral("access token"))
                 && r.text.contains(QStringLiteral("HTTP 401")),
             qPrintable(r.text));
    QVERIFY(hub.requests().filter(QStringLiteral("auth=")).isEmpty());
    QVERIFY(!QFileInfo::exists(dest + QStringLiteral("/config.json")));

    // A token the hub does not accept for it: 403.
    dl.setAccessToken(QStringLiteral("hf_wrong"));
    r = download(dl, kGatedRepo, dest);
    QCOMPARE(r.end, QStringLiteral("failed"));
    seen << r.text;
    QVERIFY2(r.text.contains(QStringLiteral("HTTP 403")) && r.text.contains(QStringLiteral("gated")), qPrintable(r.text));

    // The right token: the download goes through.
    dl.setAccessToken(kToken);
    const int before = hub.requests().size();
    r = download(dl, kGatedRepo, dest);
    QVERIFY2(r.end == QLatin1String("finished"), qPrintable(r.text));
    seen << r.text;
    verifySameAsSource(dest);
    const QStringList requests = hub.requests().mid(before);
    const QString bearer = QStringLiteral(" auth=Bearer ") + kToken;
    for (const QString& line : requests) {
        if (line.startsWith(QLatin1String("GET /cdn/")))
            QVERIFY2(!line.contains(QLatin1String("auth=")), qPrintable(line)); // not the hub's host
        else
            QVERIFY2(line.endsWith(bearer), qPrintable(line)); // the file list and every resolve URL
    }
    QCOMPARE(!requests.filter(QStringLiteral("GET /cdn/")).isEmpty(), redirect);

    for (const QString& text : seen + g_messages)
        QVERIFY2(!text.contains(kToken) && !text.contains(QLatin1String("hf_wrong")), qPrintable(text));
}

void TestHubDownload::pytorchOnlyIsRefusedWithReason()
{
    FakeHub hub(hubArgs());
    QVERIFY(hub.ok());
    HubDownload dl;
    dl.setBaseUrl(hub.url());
    const QString dest = newDest(QStringLiteral("pickle"));
    const Result r = download(dl, kPickleRepo, dest);
    QCOMPARE(r.end, QStringLiteral("failed"));
    QVERIFY2(r.text.contains(QStringLiteral("pytorch_model.bin")) && r.text.contains(QStringLiteral("safetensors format"))
                 && r.text.contains(QStringLiteral("another revision")),
             qPrintable(r.text));
    QVERIFY(hub.requests().filter(QStringLiteral("/resolve/")).isEmpty());
    QVERIFY(QDir(dest).entryList(QDir::Files | QDir::Hidden).isEmpty());
}

void TestHubDownload::revisionWithSafetensors()
{
    FakeHub hub(hubArgs());
    QVERIFY(hub.ok());
    HubDownload dl;
    dl.setBaseUrl(hub.url());
    const QString dest = newDest(QStringLiteral("pickle@safetensors"));
    const Result r = download(dl, kPickleRepo, dest, {}, QStringLiteral("safetensors"));
    QVERIFY2(r.end == QLatin1String("finished"), qPrintable(r.text));
    QCOMPARE(r.metadata.size(), 1);
    QCOMPARE(r.metadata[0].revision, QStringLiteral("safetensors"));
    verifySameAsSource(dest);
    const QStringList requests = hub.requests();
    QVERIFY(requests.contains(QStringLiteral("GET /api/models/pickle/gpt2/revision/safetensors?blobs=true range=-")));
    QStringList resolved = requests.filter(QStringLiteral("/resolve/"));
    resolved.removeDuplicates();
    QCOMPARE(resolved.size(), kModelFiles.size());
    QCOMPARE(resolved.filter(QStringLiteral("/pickle/gpt2/resolve/safetensors/")).size(), kModelFiles.size());
}

void TestHubDownload::invalidRevision()
{
    HubDownload dl;
    dl.setBaseUrl(QUrl(QStringLiteral("http://127.0.0.1:9")));
    for (const QString& rev : {QStringLiteral("../x"), QStringLiteral("a b"), QStringLiteral("/main")}) {
        const Result r = download(dl, kRepo, newDest(QStringLiteral("badrev")), {}, rev);
        QCOMPARE(r.end, QStringLiteral("failed"));
        QVERIFY2(r.text.contains(QStringLiteral("not a revision name")), qPrintable(r.text));
    }
}

QTEST_GUILESS_MAIN(TestHubDownload)
#include "test_hub_download.moc"
