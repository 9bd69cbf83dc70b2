#include "ui/wizard/stories_page.h"
#include "ui/model_manager.h"
#include "ui/store_client.h"
#include "ui/wizard/cli_job.h"
#include "ui/wizard/wizard_state.h"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QBoxLayout>
#include <QChart>
#include <QChartView>
#include <QDirIterator>
#include <QDragEnterEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QHash>
#include <QJsonArray>
#include <QLabel>
#include <QListWidget>
#include <QMimeData>
#include <QPushButton>
#include <QSaveFile>
#include <QTimer>
#include <QValueAxis>
#include <QtConcurrent>

#include <algorithm>
#include <cmath>

namespace fabula::ui {

namespace {

constexpr int kDraftIdRole = Qt::UserRole + 1;

bool isStoryText(const QFileInfo& f) {
    const QString s = f.suffix().toLower();
    return s == QLatin1String("txt") || s == QLatin1String("md");
}

bool isStoryTable(const QFileInfo& f) {
    const QString s = f.suffix().toLower();
    return s == QLatin1String("jsonl") || s == QLatin1String("csv");
}

QString safeName(QString s) {
    for (QChar& c : s)
        if (!c.isLetterOrNumber() && c != QLatin1Char('-') && c != QLatin1Char('_')) c = QLatin1Char('_');
    return s.left(60);
}

struct DraftText {
    qint64 id = 0;
    QString title, body;
};

struct Staged {
    QStringList problems;          // each naming the writer's file
    QHash<QString, QString> origin; // staged copy -> the file (or draft) it came from
};

// Copies the chosen stories into dir (the wizard's own folder, so clearing it
// touches nothing of the writer's).
Staged stageStories(const QString& dir, const QStringList& sources, const QVector<DraftText>& drafts) {
    Staged staged;
    QStringList& problems = staged.problems;
    QDir(dir).removeRecursively();
    if (!QDir().mkpath(dir)) {
        problems << QObject::tr("%1: cannot create the folder").arg(dir);
        return staged;
    }
    int n = 0;
    auto copy = [&](const QString& from) {
        const QString to = QDir(dir).filePath(QStringLiteral("%1-%2").arg(++n, 4, 10, QLatin1Char('0')).arg(QFileInfo(from).fileName()));
        if (!QFile::copy(from, to)) problems << QObject::tr("%1: cannot be read, skipped").arg(from);
        else staged.origin.insert(to, from);
    };
    for (const QString& s : sources) {
        const QFileInfo f(s);
        if (f.isDir()) {
            QDirIterator it(s, QDir::Files | QDir::Readable, QDirIterator::Subdirectories);
            while (it.hasNext()) {
                const QString file = it.next();
                if (isStoryText(QFileInfo(file))) copy(file);
            }
        } else if (isStoryText(f)) {
            copy(s);
        } else if (isStoryTable(f)) {
            problems << QObject::tr("%1: a .jsonl or .csv file can only be used on its own, skipped").arg(s);
        } else {
            problems << QObject::tr("%1: not a .txt, .md, .jsonl or .csv file, skipped").arg(s);
        }
    }
    for (const DraftText& d : drafts) {
        QSaveFile out(QDir(dir).filePath(QStringLiteral("draft-%1-%2.txt").arg(d.id).arg(safeName(d.title))));
        if (!out.open(QIODevice::WriteOnly) || out.write(d.body.toUtf8()) < 0 || !out.commit())
            problems << QObject::tr("%1: cannot be written (%2), skipped").arg(out.fileName(), out.errorString());
        else
            staged.origin.insert(out.fileName(), QObject::tr("the draft “%1”").arg(d.title.isEmpty() ? QObject::tr("Untitled") : d.title));
    }
    return staged;
}

} // namespace

StoriesPage::StoriesPage(WizardState* state, QWidget* parent)
    : QWizardPage(parent), state_(state), prepare_(new CliJob(this)), debounce_(new QTimer(this)) {
    setTitle(tr("Your stories"));
    setSubTitle(tr("Pick the stories the model should learn from: a folder, files (or drop them here), "
                   "and drafts from your library."));
    setAcceptDrops(true);

    sources_ = new QListWidget;
    sources_->setObjectName(QStringLiteral("sources"));
    sources_->setAccessibleName(tr("Folders and files"));
    sources_->setSelectionMode(QAbstractItemView::ExtendedSelection);
    auto* addFolder = new QPushButton(tr("Add &folder…"));
    auto* addFiles = new QPushButton(tr("Add fi&les…"));
    auto* remove = new QPushButton(tr("&Remove"));
    remove->setObjectName(QStringLiteral("removeSource"));
    connect(addFolder, &QPushButton::clicked, this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("A folder of stories"));
        if (!dir.isEmpty()) addSources({dir});
    });
    connect(addFiles, &QPushButton::clicked, this, [this] {
        const QStringList files = QFileDialog::getOpenFileNames(this, tr("Story files"), {},
                                                                tr("Stories (*.txt *.md *.jsonl *.csv)"));
        if (!files.isEmpty()) addSources(files);
    });
    connect(remove, &QPushButton::clicked, this, [this] {
        qDeleteAll(sources_->selectedItems());
        debounce_->start();
    });
    drafts_ = new QListWidget;
    drafts_->setObjectName(QStringLiteral("drafts"));
    drafts_->setAccessibleName(tr("Drafts from your library"));
    connect(drafts_, &QListWidget::itemChanged, this, [this] { debounce_->start(); });

    summary_ = new QLabel(tr("No stories yet."));
    summary_->setObjectName(QStringLiteral("summary"));
    summary_->setWordWrap(true);
    problems_ = new QListWidget;
    problems_->setObjectName(QStringLiteral("problems"));
    problems_->setAccessibleName(tr("Problems"));
    problems_->setWordWrap(true);

    auto* chart = new QChart;
    chart->setTitle(tr("Story lengths in tokens"));
    chart->legend()->hide();
    histogram_ = new QChartView(chart);
    histogram_->setObjectName(QStringLiteral("storyLengths"));
    histogram_->setAccessibleName(tr("Story lengths in tokens"));
    histogram_->setMinimumHeight(180);
    histogram_->setRenderHint(QPainter::Antialiasing);

    auto* buttons = new QHBoxLayout;
    buttons->addWidget(addFolder);
    buttons->addWidget(addFiles);
    buttons->addWidget(remove);
    buttons->addStretch();
    auto* left = new QVBoxLayout;
    left->addWidget(new QLabel(tr("Folders and files:")));
    left->addWidget(sources_);
    left->addLayout(buttons);
    left->addWidget(new QLabel(tr("Drafts from your library:")));
    left->addWidget(drafts_);
    auto* right = new QVBoxLayout;
    right->addWidget(summary_);
    right->addWidget(histogram_, 2);
    right->addWidget(new QLabel(tr("Problems (these are skipped):")));
    right->addWidget(problems_, 1);
    auto* layout = new QHBoxLayout(this);
    layout->addLayout(left, 1);
    layout->addLayout(right, 1);

    // Ticking several drafts in a row prepares once.
    debounce_->setSingleShot(true);
    debounce_->setInterval(250);
    connect(debounce_, &QTimer::timeout, this, &StoriesPage::restage);
    connect(prepare_, &CliJob::failed, this, [this](const QString& why) {
        preparing_ = false;
        ready_ = false;
        summary_->setText(tr("Could not read the stories: %1").arg(why));
        Q_EMIT completeChanged();
        Q_EMIT prepared();
    });
}

void StoriesPage::initializePage() {
    if (!draftsLoaded_) loadDrafts();
}

void StoriesPage::loadDrafts() {
    draftsLoaded_ = true;
    if (!state_->store) return;
    state_->store->submit(this, [](Store& s) { return s.list_drafts(); }, [this](std::vector<DraftSummary> list) {
        const QSignalBlocker block(drafts_);
        drafts_->clear();
        for (const DraftSummary& d : list) {
            auto* item = new QListWidgetItem(d.title.empty() ? tr("Untitled") : QString::fromStdString(d.title), drafts_);
            item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
            item->setCheckState(Qt::Unchecked);
            item->setData(kDraftIdRole, QVariant::fromValue<qint64>(d.id));
        }
    });
}

void StoriesPage::addSources(const QStringList& paths) {
    for (const QString& p : paths) {
        const QString abs = QFileInfo(p).absoluteFilePath();
        if (sources_->findItems(abs, Qt::MatchExactly).isEmpty()) sources_->addItem(abs);
    }
    debounce_->start();
}

void StoriesPage::dragEnterEvent(QDragEnterEvent* e) {
    if (e->mimeData()->hasUrls()) e->acceptProposedAction();
}

void StoriesPage::dropEvent(QDropEvent* e) {
    QStringList paths;
    for (const QUrl& u : e->mimeData()->urls())
        if (u.isLocalFile()) paths << u.toLocalFile();
    if (!paths.isEmpty()) addSources(paths);
    e->acceptProposedAction();
}

void StoriesPage::setBusy(const QString& text) {
    preparing_ = true;
    ready_ = false;
    summary_->setText(text);
    Q_EMIT completeChanged();
}

void StoriesPage::restage() {
    const int generation = ++generation_;
    prepare_->cancel();
    QStringList sources;
    for (int i = 0; i < sources_->count(); ++i) sources << sources_->item(i)->text();
    QVector<qint64> ids;
    for (int i = 0; i < drafts_->count(); ++i)
        if (drafts_->item(i)->checkState() == Qt::Checked) ids << drafts_->item(i)->data(kDraftIdRole).toLongLong();
    if (sources.isEmpty() && ids.isEmpty()) {
        preparing_ = ready_ = false;
        problems_->clear();
        summary_->setText(tr("No stories yet."));
        showHistogram({});
        Q_EMIT completeChanged();
        Q_EMIT prepared();
        return;
    }
    setBusy(tr("Reading the stories…"));
    // A .jsonl or .csv collection alone is read where it is.
    if (ids.isEmpty() && sources.size() == 1 && isStoryTable(QFileInfo(sources.first()))) {
        state_->dataPath = sources.first();
        state_->staged = false;
        origin_.clear();
        runPrepare({});
        return;
    }
    auto stage = [this, generation, sources](QVector<DraftText> drafts) {
        if (generation != generation_) return;
        auto* watcher = new QFutureWatcher<Staged>(this);
        connect(watcher, &QFutureWatcher<Staged>::finished, this, [this, watcher, generation] {
            watcher->deleteLater();
            if (generation != generation_) return;
            state_->dataPath = state_->storiesDir();
            state_->staged = true;
            origin_ = watcher->result().origin;
            runPrepare(watcher->result().problems);
        });
        watcher->setFuture(QtConcurrent::run(stageStories, state_->storiesDir(), sources, drafts));
    };
    if (ids.isEmpty() || !state_->store) {
        stage({});
        return;
    }
    state_->store->submit(this, [ids](Store& s) {
        QVector<DraftText> out;
        for (qint64 id : ids)
            if (auto d = s.get_draft(id)) out.push_back({id, QString::fromStdString(d->title), QString::fromStdString(d->body)});
        return out;
    }, stage);
}

void StoriesPage::runPrepare(const QStringList& stagingProblems) {
    const QString model = !state_->baseModel.isEmpty() ? state_->baseModel : state_->tokenizerModel;
    if (model.isEmpty()) {
        preparing_ = ready_ = false;
        summary_->setText(tr("Add a model first (File ▸ Models…): its tokenizer counts the tokens."));
        Q_EMIT completeChanged();
        Q_EMIT prepared();
        return;
    }
    training::TrainOptions o;
    o.model_dir = model.toStdString();
    o.data = state_->dataPath.toStdString();
    const int generation = generation_;
    disconnect(prepare_, &CliJob::finished, this, nullptr);
    connect(prepare_, &CliJob::finished, this, [this, generation, stagingProblems](const QJsonObject& r) {
        if (generation != generation_) return;
        showReport(r, stagingProblems);
    });
    prepare_->start(QStringList{QStringLiteral("prepare"), QStringLiteral("--json")} + cliArguments(o, kNotForPrepare));
}

void StoriesPage::showReport(const QJsonObject& r, const QStringList& stagingProblems) {
    state_->prepared = r;
    preparing_ = false;
    const qint64 stories = r.value(QStringLiteral("stories")).toInteger();
    const qint64 trainTokens = r.value(QStringLiteral("train")).toObject().value(QStringLiteral("tokens")).toInteger();
    ready_ = stories > 0 && trainTokens > 0;
    QStringList lines;
    lines << tr("Stories: %1, tokens: %2.").arg(stories).arg(QLocale().toString(r.value(QStringLiteral("tokens")).toInteger()));
    const int duplicates = r.value(QStringLiteral("duplicates")).toInt(), empty = r.value(QStringLiteral("empty")).toInt();
    if (duplicates > 0) lines << tr("Duplicates left out, so they are not learnt twice: %1.").arg(duplicates);
    if (empty > 0) lines << tr("Empty stories left out: %1.").arg(empty);
    if (!ready_) lines << tr("There is nothing to train on yet.");
    summary_->setText(lines.join(QLatin1Char(' ')));
    problems_->clear();
    problems_->addItems(stagingProblems);
    for (const QJsonValue& p : r.value(QStringLiteral("problems")).toArray()) {
        // prepare read the staged copies: name the writer's own file instead.
        QString text = p.toString();
        if (text.contains(state_->storiesDir()))
            for (auto it = origin_.cbegin(); it != origin_.cend(); ++it) text.replace(it.key(), it.value());
        problems_->addItem(text);
    }
    showHistogram(r);
    Q_EMIT completeChanged();
    Q_EMIT prepared();
}

void StoriesPage::showHistogram(const QJsonObject& r) {
    QChart* chart = histogram_->chart();
    chart->removeAllSeries();
    for (QAbstractAxis* a : chart->axes()) {
        chart->removeAxis(a);
        delete a;
    }
    const QJsonArray lengths = r.value(QStringLiteral("story_lengths")).toArray();
    const qint64 stories = r.value(QStringLiteral("stories")).toInteger();
    if (stories <= 0) return;
    constexpr int kBins = 10;
    QVector<double> counts(kBins, 0);
    qint64 max = 1;
    for (const QJsonValue& v : lengths) max = std::max<qint64>(max, v.toInteger());
    if (lengths.isEmpty()) max = std::max<qint64>(1, r.value(QStringLiteral("story_tokens")).toObject().value(QStringLiteral("max")).toInteger());
    const double width = std::max(1.0, std::ceil(double(max) / kBins));
    auto bin = [&](double tokens) { return std::clamp(int(tokens / width), 0, kBins - 1); };
    if (!lengths.isEmpty()) {
        for (const QJsonValue& v : lengths) counts[bin(double(v.toInteger()))] += 1;
    } else {
        // Without per-story lengths prepare's percentiles place the stories:
        // half up to p50, 40 % up to p90, 9 % up to p99, the rest up to max.
        const QJsonObject p = r.value(QStringLiteral("story_tokens")).toObject();
        const double cut[] = {p.value(QStringLiteral("p50")).toDouble(), p.value(QStringLiteral("p90")).toDouble(),
                              p.value(QStringLiteral("p99")).toDouble(), double(max)};
        const qint64 share[] = {qint64(std::llround(stories * 0.5)), qint64(std::llround(stories * 0.9)),
                                qint64(std::llround(stories * 0.99)), stories};
        qint64 before = 0;
        for (int i = 0; i < 4; ++i) {
            counts[bin(cut[i])] += double(share[i] - before);
            before = share[i];
        }
        chart->setTitle(tr("Story lengths in tokens (from the percentiles)"));
    }
    auto* set = new QBarSet(tr("Stories"));
    QStringList categories;
    for (int i = 0; i < kBins; ++i) {
        *set << counts[i];
        categories << QString::number(qint64(i * width)); // each bar's lower bound: short enough to stay legible
    }
    auto* series = new QBarSeries;
    series->append(set);
    chart->addSeries(series);
    auto* x = new QBarCategoryAxis;
    x->append(categories);
    x->setTitleText(tr("tokens (from)"));
    auto* y = new QValueAxis;
    y->setRange(0, *std::max_element(counts.begin(), counts.end()));
    y->setLabelFormat(QStringLiteral("%d"));
    y->setTitleText(tr("stories"));
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    series->attachAxis(x);
    series->attachAxis(y);
}

bool StoriesPage::isComplete() const { return ready_ && !preparing_; }

} // namespace fabula::ui
