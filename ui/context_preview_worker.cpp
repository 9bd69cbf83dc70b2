#include "ui/context_preview_worker.h"

#include "core/generator.h"
#include "core/model_folder.h"
#include "core/prompt_builder.h"
#include "core/store/text.h"
#include "core/tokenizer.h"
#include "ui/editor.h"
#include "ui/story_session.h"

#include <QCoreApplication>

namespace fabula::ui {

ContextPreviewWorker* ContextPreviewWorker::create() {
    qRegisterMetaType<ContextPreviewResult>();
    auto* w = new ContextPreviewWorker;
    w->thread_ = new QThread;
    w->thread_->setObjectName(QStringLiteral("fabula-context-preview"));
    w->moveToThread(w->thread_);
    w->thread_->start();
    return w;
}

void ContextPreviewWorker::shutdown() {
    newest_.store(~quint64(0)); // queued builds are skipped
    QThread* t = thread_;
    QMetaObject::invokeMethod(this, [this, t] {
        delete this;
        t->quit();
    }, Qt::QueuedConnection);
    t->wait();
    delete t;
}

ContextPreviewWorker::ContextPreviewWorker() = default;
ContextPreviewWorker::~ContextPreviewWorker() = default;

void ContextPreviewWorker::setTestBuildHook(std::function<void()> hook) {
    std::lock_guard lock(hookMutex_);
    hook_ = std::move(hook);
}

void ContextPreviewWorker::loadTokenizer(const QString& modelDir) {
    try {
        const auto folder = ModelFolder::inspect(std::filesystem::path(modelDir.toStdString()));
        tokenizer_ = std::make_unique<Tokenizer>(folder.load_tokenizer());
        tokenizerError_.clear();
    } catch (const std::exception& e) {
        tokenizer_.reset();
        tokenizerError_ = QString::fromUtf8(e.what());
    }
}

void ContextPreviewWorker::build(quint64 requestId, const QString& story, std::shared_ptr<const StoryContext> context,
                                 int contextLength, int maxNewTokens) {
    if (requestId < newest_.load()) return; // a newer request is queued behind this one
    ++builds_;
    if (QThread::currentThread() == QCoreApplication::instance()->thread()) ++buildsOnGuiThread_;
    if (QThread::currentThread() != thread_) ++buildsOffOwnThread_;
    Q_EMIT buildStarted(requestId);
    std::function<void()> hook;
    {
        std::lock_guard lock(hookMutex_);
        hook = hook_;
    }
    if (hook) hook();
    ContextPreviewResult out;
    out.requestId = requestId;
    if (!tokenizer_) {
        out.error = tokenizerError_.isEmpty() ? tr("Load a model to see its context.") : tokenizerError_;
        Q_EMIT built(out);
        return;
    }
    try {
        const std::string text = story.toStdString();
        PromptRequest request;
        request.story = text;
        request.context = context.get();
        request.context_length = contextLength;
        // As the engine clamps it, so the budget shown is the one used.
        request.max_new_tokens = Generator::clamp_max_new_tokens(maxNewTokens, contextLength);
        const BuiltPrompt prompt = build_prompt(*tokenizer_, request);
        out.budget = prompt.budget;
        out.total = int(prompt.ids.size());
        for (const auto& p : prompt.parts) {
            ContextPart part;
            part.kind = QString::fromStdString(to_string(p.kind));
            part.text = QString::fromStdString(p.text);
            part.key = QString::fromStdString(p.key);
            part.tokens = int(p.ids.size());
            part.words = count_words(p.text);
            out.parts.push_back(part);
        }
        for (const auto& n : prompt.lore_fired) out.loreFired << QString::fromStdString(n);
        for (const auto& n : prompt.lore_dropped) out.loreDropped << QString::fromStdString(n);
    } catch (const std::exception& e) {
        out.error = QString::fromUtf8(e.what());
    }
    Q_EMIT built(out);
}

ContextPreview::ContextPreview(DraftEditor* editor, StorySession* story, QObject* parent)
    : QObject(parent), editor_(editor), story_(story), worker_(ContextPreviewWorker::create()) {
    debounce_.setSingleShot(true);
    bool ok = false;
    const int ms = qEnvironmentVariableIntValue("FABULA_PREVIEW_MS", &ok);
    debounce_.setInterval(ok && ms > 0 ? ms : 300);
    connect(&debounce_, &QTimer::timeout, this, &ContextPreview::buildNow);
    connect(editor_->document(), &QTextDocument::contentsChanged, this, &ContextPreview::schedule);
    connect(editor_, &QPlainTextEdit::cursorPositionChanged, this, &ContextPreview::schedule);
    connect(story_, &StorySession::contextChanged, this, &ContextPreview::schedule);
    connect(worker_, &ContextPreviewWorker::built, this, [this](const ContextPreviewResult& r) {
        if (r.requestId != issued_) return; // an older build finished after a newer request
        result_ = r;
        Q_EMIT updated(result_);
    });
}

ContextPreview::~ContextPreview() { worker_->shutdown(); }

void ContextPreview::setActive(bool on) {
    active_ = on;
    if (on) buildNow();
    else debounce_.stop();
}

void ContextPreview::setModel(const QString& dir, int contextLength) {
    contextLength_ = contextLength;
    QMetaObject::invokeMethod(worker_, [w = worker_, dir] { w->loadTokenizer(dir); }, Qt::QueuedConnection);
    schedule();
}

void ContextPreview::schedule() {
    if (active_) debounce_.start();
}

void ContextPreview::buildNow() {
    debounce_.stop();
    if (!active_) return;
    const quint64 id = ++issued_;
    worker_->setNewest(id);
    const int n = contextLength_ > 0 ? contextLength_ : 1024;
    QMetaObject::invokeMethod(worker_, [w = worker_, id, text = storyBeforeCursor(editor_, n),
                                        context = story_->context(), n, maxNew = maxNew_ ? maxNew_() : 60] {
        w->build(id, text, context, n, maxNew);
    }, Qt::QueuedConnection);
}

} // namespace fabula::ui
