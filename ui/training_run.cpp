#include "ui/training_run.h"

#include "core/atomic_file.h"
#include "ui/sleep_inhibitor.h"
#include "training/train_contract.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QFileSystemWatcher>
#include <QPointer>
#include <QTemporaryFile>
#include <QTimer>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

namespace fabula::ui {

namespace {

constexpr const char* kOptionsFile = "options.json";
// Between file-system notifications (which may be coalesced or missed on
// network folders) the files are looked at this often.
constexpr int kPollMs = 200;

// A child this process started. It is reaped by a thread of its own, so it
// never lingers as a zombie (which kill(pid, 0) would call alive) even when
// the TrainingRun that started it is gone.
struct Child {
    pid_t pid = -1;
    std::atomic<bool> exited{false};
    std::atomic<int> status{0};
};

std::shared_ptr<Child> reapInBackground(pid_t pid) {
    auto child = std::make_shared<Child>();
    child->pid = pid;
    std::thread([child] {
        int status = 0;
        while (::waitpid(child->pid, &status, 0) < 0 && errno == EINTR) {
        }
        child->status = status;
        child->exited = true;
    }).detach();
    return child;
}

// fork/exec rather than QProcess: the child must outlive the app (its own
// session, so closing the terminal or the app sends it nothing), run at nice
// 10, write nowhere the app reads (a pipe to a gone app would kill it with
// SIGPIPE), and inherit the sleep inhibitor. Everything the child needs is
// prepared before fork(): after it, only async-signal-safe calls.
pid_t spawnDetached(const QString& program, const QStringList& args, int keepFd) {
    std::vector<QByteArray> storage;
    storage.push_back(QFile::encodeName(program));
    for (const QString& a : args) storage.push_back(QFile::encodeName(a));
    std::vector<char*> argv;
    for (QByteArray& s : storage) argv.push_back(s.data());
    argv.push_back(nullptr);
    const int devnull = ::open("/dev/null", O_RDWR | O_CLOEXEC);
    const pid_t pid = ::fork();
    if (pid == 0) {
        ::setsid();
        errno = 0;
        const int now = ::getpriority(PRIO_PROCESS, 0);
        if (errno != 0 || now < 10) ::setpriority(PRIO_PROCESS, 0, 10);
        if (devnull >= 0) {
            ::dup2(devnull, STDIN_FILENO);
            ::dup2(devnull, STDOUT_FILENO);
            ::dup2(devnull, STDERR_FILENO);
        }
        if (keepFd >= 0) {
            if (keepFd == 3) ::fcntl(3, F_SETFD, 0);
            else ::dup2(keepFd, 3); // dup2 clears close-on-exec
        }
        ::execv(argv[0], argv.data());
        ::_exit(127);
    }
    if (devnull >= 0) ::close(devnull);
    return pid;
}

QString str(const std::string& s) { return QString::fromStdString(s); }
QString str(const std::filesystem::path& p) { return QString::fromStdString(p.string()); }

} // namespace

struct TrainingRun::Private {
    TrainingRun* q;
    State state = State::Idle;
    QString runDir;
    nlohmann::json options; // as written to options.json; read back by attach() when resuming
    QFileSystemWatcher* watcher = nullptr;
    QTimer* poll = nullptr;
    qint64 offset = 0;  // of events.jsonl read so far
    QByteArray partial; // a last line not yet complete
    std::shared_ptr<Child> child;
    bool following = false;
    bool sessionEnded = false; // a done, stopped or error event since the last start
    bool sawStart = false;
    bool pauseRequested = false, resumePending = false;
    bool diedUnreported = false;
    qint64 lastStep = 0;
    int inhibitor = -1;
    QString handoverOptions; // the temporary options file of a fresh start

    QString file(const char* name) const { return QDir(runDir).filePath(QString::fromLatin1(name)); }
    QString eventsPath() const { return file(training::kRunEventsFile); }

    void setState(State s) {
        if (state == s) return;
        state = s;
        Q_EMIT q->stateChanged(s);
    }

    void releaseInhibitor() {
        if (inhibitor >= 0) ::close(inhibitor);
        inhibitor = -1;
    }

    void follow(bool fromStart) {
        if (fromStart) {
            offset = 0;
        } else {
            offset = QFileInfo(eventsPath()).size(); // 0 when missing
        }
        partial.clear();
        following = true;
        if (!watcher->directories().contains(runDir)) watcher->addPath(runDir);
        if (QFileInfo::exists(eventsPath()) && !watcher->files().contains(eventsPath())) watcher->addPath(eventsPath());
        poll->start();
    }

    void stopFollowing() {
        following = false;
        poll->stop();
        if (!watcher->files().isEmpty()) watcher->removePaths(watcher->files());
        if (!watcher->directories().isEmpty()) watcher->removePaths(watcher->directories());
    }

    void readEvents() {
        QFile f(eventsPath());
        if (!f.open(QIODevice::ReadOnly)) return;
        if (!watcher->files().contains(eventsPath())) watcher->addPath(eventsPath());
        if (f.size() < offset) { // replaced: read it from the start
            offset = 0;
            partial.clear();
        }
        if (f.size() == offset) return;
        f.seek(offset);
        const QByteArray chunk = f.readAll();
        offset += chunk.size();
        partial += chunk;
        qsizetype nl;
        while ((nl = partial.indexOf('\n')) >= 0) {
            const QByteArray line = partial.left(nl);
            partial.remove(0, nl + 1);
            handleLine(line);
            if (!following) return; // a slot ended it (e.g. deleted the run's folder)
        }
    }

    void handleLine(const QByteArray& raw) {
        const QByteArray line = raw.trimmed();
        if (line.isEmpty()) return;
        training::RunEvent e;
        try {
            e = training::run_event_from_json(nlohmann::json::parse(line.toStdString()));
        } catch (const std::exception& ex) {
            Q_EMIT q->warning(TrainingRun::tr("A line of %1 is not a training event and was skipped: %2")
                                  .arg(QDir::toNativeSeparators(eventsPath()), QString::fromUtf8(ex.what())));
            return;
        }
        using K = training::RunEvent::Kind;
        switch (e.kind) {
        case K::Start: {
            optionsHandedOver();
            sessionEnded = false;
            sawStart = true;
            RunStart s;
            s.totalSteps = e.total_steps;
            s.stepsPerEpoch = e.steps_per_epoch;
            s.trainTokens = e.train_tokens;
            s.threads = e.threads;
            s.device = str(e.device);
            s.precision = str(e.precision);
            s.runDir = e.path.empty() ? runDir : str(e.path);
            if (state != State::Pausing) setState(State::Training);
            Q_EMIT q->started(s);
            break;
        }
        case K::Step: {
            RunStep s;
            s.step = e.step;
            s.totalSteps = e.total_steps;
            s.epoch = e.epoch;
            s.loss = e.loss;
            s.lr = e.lr;
            s.gradNorm = e.grad_norm;
            s.tokensPerSecond = e.tokens_per_second;
            s.etaSeconds = e.eta_seconds;
            lastStep = e.step;
            Q_EMIT q->stepLogged(s);
            break;
        }
        case K::Eval:
            Q_EMIT q->evaluated(RunEval{e.step, e.loss, e.perplexity});
            break;
        case K::Checkpoint:
            Q_EMIT q->checkpointSaved(e.step, str(e.path));
            break;
        case K::Done:
            sessionEnded = true;
            lastStep = e.step;
            setState(State::Finished);
            Q_EMIT q->finished(str(e.path));
            break;
        case K::Stopped:
            sessionEnded = true;
            lastStep = e.step;
            setState(pauseRequested ? State::Paused : State::Stopped);
            Q_EMIT q->stopped(e.step, str(e.path));
            break;
        case K::Error:
            sessionEnded = true;
            setState(State::Failed);
            Q_EMIT q->failed(str(e.message));
            break;
        case K::Warning:
            Q_EMIT q->warning(str(e.message));
            break;
        }
    }

    bool alive() const {
        if (child) return !child->exited;
        if (runDir.isEmpty()) return false;
        return training::lock_holder(runDir.toStdString()).has_value();
    }

    std::optional<qint64> pid() const {
        if (child && !child->exited) return child->pid;
        if (runDir.isEmpty()) return std::nullopt;
        if (auto p = training::lock_holder(runDir.toStdString())) return qint64(*p);
        return std::nullopt;
    }

    // The newest complete checkpoint: step-N folders are moved into place
    // only once written, so a listed one is whole.
    QString newestCheckpoint() const {
        const QDir dir(file("checkpoints"));
        qint64 best = -1;
        QString path;
        for (const QString& name : dir.entryList({QStringLiteral("step-*")}, QDir::Dirs | QDir::NoDotAndDotDot)) {
            bool ok = false;
            const qint64 n = name.mid(5).toLongLong(&ok);
            if (ok && n > best) {
                best = n;
                path = dir.filePath(name);
            }
        }
        return path;
    }

    void tick() {
        if (!following) return;
        const bool gone = !alive(); // before reading, so no line written before the end is missed
        readEvents();
        if (!following) return;
        if (gone) processEnded();
    }

    void processEnded() {
        // A line torn by a kill never completes: try what there is.
        if (!partial.isEmpty()) {
            const QByteArray rest = partial;
            partial.clear();
            handleLine(rest);
        }
        if (!handoverOptions.isEmpty()) { // it never started
            QFile::remove(handoverOptions);
            handoverOptions.clear();
        }
        const std::shared_ptr<Child> ended = std::move(child);
        child.reset();
        stopFollowing();
        releaseInhibitor();
        if (!sessionEnded && state != State::Idle) {
            sessionEnded = true;
            const int status = ended ? ended->status.load() : 0;
            if (ended && WIFEXITED(status) && WEXITSTATUS(status) == 127 && !sawStart) {
                setState(State::Failed);
                Q_EMIT q->failed(TrainingRun::tr("Could not start %1.").arg(QDir::toNativeSeparators(cliPath())));
            } else if (ended && WIFEXITED(status) && WEXITSTATUS(status) != 0 && WEXITSTATUS(status) != 130) {
                setState(State::Failed);
                Q_EMIT q->failed(TrainingRun::tr("Training ended unexpectedly (exit code %1) in %2.")
                                     .arg(WEXITSTATUS(status))
                                     .arg(QDir::toNativeSeparators(runDir)));
            } else {
                diedUnreported = true;
                // Killed (kill -9, out of memory, a reboot): what was
                // checkpointed is kept and resume continues from there.
                setState(pauseRequested ? State::Paused : State::Stopped);
                Q_EMIT q->stopped(lastStep, newestCheckpoint());
            }
        }
        if (resumePending) {
            resumePending = false;
            launch();
            return;
        }
        Q_EMIT q->exited();
    }

    // A fresh run's folder must hold nothing but the contract's files when
    // the trainer looks at it, so its settings are handed over from a
    // temporary file and copied to RUN/options.json (what resume reads)
    // once the trainer has started. A resume reads RUN/options.json itself.
    QString optionsFileForLaunch() {
        QString path = file(kOptionsFile);
        if (!options.value("resume", false)) {
            QTemporaryFile tmp(QDir(QDir::tempPath()).filePath(QStringLiteral("fabula-train-XXXXXX.json")));
            tmp.setAutoRemove(false);
            if (!tmp.open()) {
                Q_EMIT q->failed(TrainingRun::tr("Could not write the training settings to %1.")
                                     .arg(QDir::toNativeSeparators(QDir::tempPath())));
                return {};
            }
            path = tmp.fileName();
            handoverOptions = path;
        }
        try {
            write_file_atomically(path.toStdString(), options.dump(2) + "\n");
            return path;
        } catch (const std::exception& e) {
            Q_EMIT q->failed(TrainingRun::tr("Could not write the training settings: %1").arg(QString::fromUtf8(e.what())));
            return {};
        }
    }

    void optionsHandedOver() {
        if (handoverOptions.isEmpty()) return;
        QFile::remove(handoverOptions);
        handoverOptions.clear();
        try {
            write_file_atomically(file(kOptionsFile).toStdString(), options.dump(2) + "\n");
        } catch (const std::exception& e) {
            Q_EMIT q->warning(TrainingRun::tr("The run's settings could not be kept, so it cannot be resumed: %1")
                                  .arg(QString::fromUtf8(e.what())));
        }
    }

    void launch() {
        const QString cli = cliPath();
        if (!QFileInfo(cli).isExecutable()) {
            setState(State::Failed);
            Q_EMIT q->failed(TrainingRun::tr("fabula-cli was not found beside Fabula (looked for %1).")
                                 .arg(QDir::toNativeSeparators(cli)));
            return;
        }
        const QString optionsFile = optionsFileForLaunch();
        if (optionsFile.isEmpty()) {
            setState(State::Failed);
            return;
        }
        pauseRequested = false;
        sawStart = false;
        sessionEnded = false;
        diedUnreported = false;
        setState(State::Starting);
        follow(false); // what this start writes; earlier sessions were read (or are not wanted)
        if (inhibitor < 0) inhibitor = acquireSleepInhibitor(TrainingRun::tr("Training a model"));
        const pid_t pid = spawnDetached(cli,
                                        {QStringLiteral("train"), QStringLiteral("--options"), optionsFile,
                                         QStringLiteral("--events"), eventsPath(), QStringLiteral("--quiet")},
                                        inhibitor);
        if (pid < 0) {
            if (!handoverOptions.isEmpty()) QFile::remove(handoverOptions);
            handoverOptions.clear();
            stopFollowing();
            releaseInhibitor();
            setState(State::Failed);
            Q_EMIT q->failed(TrainingRun::tr("Could not start training: %1").arg(QString::fromLocal8Bit(strerror(errno))));
            return;
        }
        child = reapInBackground(pid);
    }
};

TrainingRun::TrainingRun(QObject* parent) : QObject(parent), d(std::make_unique<Private>()) {
    qRegisterMetaType<RunStart>();
    qRegisterMetaType<RunStep>();
    qRegisterMetaType<RunEval>();
    d->q = this;
    d->watcher = new QFileSystemWatcher(this);
    d->poll = new QTimer(this);
    d->poll->setInterval(kPollMs);
    connect(d->poll, &QTimer::timeout, this, [this] { d->tick(); });
    connect(d->watcher, &QFileSystemWatcher::fileChanged, this, [this] { d->tick(); });
    connect(d->watcher, &QFileSystemWatcher::directoryChanged, this, [this] { d->tick(); });
}

TrainingRun::~TrainingRun() {
    // The child keeps its own copy of the inhibitor and goes on training.
    d->releaseInhibitor();
}

QString TrainingRun::cliPath() {
    if (const QString env = qEnvironmentVariable("FABULA_CLI"); !env.isEmpty()) return env;
    const QDir here(QCoreApplication::applicationDirPath());
    // Installed and build tree: beside the app; the tests run from build/tests.
    for (const QString& rel : {QStringLiteral("fabula-cli"), QStringLiteral("../app/fabula-cli")}) {
        const QFileInfo f(here.filePath(rel));
        if (f.isFile() && f.isExecutable()) return f.canonicalFilePath();
    }
    return here.filePath(QStringLiteral("fabula-cli"));
}

void TrainingRun::start(const training::TrainOptions& options) {
    if (d->alive()) {
        Q_EMIT failed(tr("A training run is still going in %1.").arg(QDir::toNativeSeparators(d->runDir)));
        return;
    }
    d->stopFollowing();
    d->runDir = QDir(str(options.out)).absolutePath();
    d->options = training::to_options_json(options);
    d->lastStep = 0;
    if (!QDir().mkpath(d->runDir)) {
        d->setState(State::Failed);
        Q_EMIT failed(tr("Could not create the run folder %1.").arg(QDir::toNativeSeparators(d->runDir)));
        return;
    }
    d->launch();
}

void TrainingRun::attach(const QString& runDir) {
    d->stopFollowing();
    d->child.reset();
    d->runDir = QDir(runDir).absolutePath();
    d->options = nlohmann::json();
    d->lastStep = 0;
    d->sawStart = false;
    d->sessionEnded = false;
    d->pauseRequested = false;
    d->diedUnreported = false;
    const bool alive = d->alive();
    d->setState(alive ? State::Starting : State::Idle);
    d->follow(true);
    d->readEvents();
    if (!d->following) return;
    // Replayed: a run whose process is gone ends here, with what it
    // reported or, killed, as stopped.
    if (!alive) {
        if (d->state == State::Idle && !d->sawStart) d->stopFollowing();
        else d->processEnded();
    }
}

void TrainingRun::pause() {
    const auto pid = d->pid();
    if (!pid || (d->state != State::Starting && d->state != State::Training)) return;
    d->pauseRequested = true;
    d->setState(State::Pausing);
    ::kill(pid_t(*pid), SIGINT);
}

void TrainingRun::resume() {
    if (d->runDir.isEmpty() || d->state == State::Starting || d->state == State::Training ||
        d->state == State::Finished)
        return;
    if (d->options.is_null()) {
        try {
            d->options = training::read_options_file(d->file(kOptionsFile).toStdString());
        } catch (const std::exception& e) {
            d->setState(State::Failed);
            Q_EMIT failed(tr("This run cannot be resumed: %1").arg(QString::fromUtf8(e.what())));
            return;
        }
    }
    d->options["resume"] = true;
    // Still checkpointing and exiting: continue once that process is gone,
    // since the new one must not find the lock held.
    if (d->alive()) {
        d->resumePending = true;
        return;
    }
    d->launch();
}

void TrainingRun::cancel() {
    const auto pid = d->pid();
    if (!pid) return;
    d->pauseRequested = false;
    d->resumePending = false;
    if (d->state == State::Starting || d->state == State::Training) d->setState(State::Pausing);
    ::kill(pid_t(*pid), SIGINT);
}

TrainingRun::State TrainingRun::state() const { return d->state; }
QString TrainingRun::runDir() const { return d->runDir; }
bool TrainingRun::isAlive() const { return d->alive(); }
bool TrainingRun::diedUnreported() const { return d->diedUnreported; }

} // namespace fabula::ui
