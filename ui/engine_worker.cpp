#include "ui/engine_worker.h"

#include "core/generator.h"
#include "core/causal_lm.h"
#include "core/lora.h"
#include "core/model_folder.h"
#include "core/prompt_builder.h"
#include "core/tokenizer.h"
#include "ui/app_settings.h"
#include "ui/continuation_text.h"

#include <QDir>
#include <QJsonDocument>
#include <QJsonObject>

#include <exception>

namespace fabula::ui {

QString GenerationSettings::toJson() const {
    QJsonObject o{{"temperature", temperature},
                  {"top_k", topK},
                  {"top_p", topP},
                  {"repetition_penalty", repetitionPenalty},
                  {"max_new_tokens", maxNewTokens},
                  {"seed", QString::number(seed)},
                  {"end_at", endAt == EndAt::Sentence    ? "sentence"
                             : endAt == EndAt::Paragraph ? "paragraph"
                                                         : "anywhere"}};
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

EngineWorker* EngineWorker::create() {
    qRegisterMetaType<ModelInfo>();
    qRegisterMetaType<GenerationSettings>();
    qRegisterMetaType<GenerationOutcome>();
    auto* w = new EngineWorker;
    w->thread_ = new QThread; // no parent: it outlives nothing and is deleted in shutdown()
    w->thread_->setObjectName(QStringLiteral("fabula-engine"));
    w->moveToThread(w->thread_);
    w->thread_->start();
    return w;
}

void EngineWorker::shutdown() {
    cancel();
    QThread* t = thread_;
    // Deleting on the worker's own thread frees libtorch state where it was made.
    QMetaObject::invokeMethod(this, [this, t] {
        delete this;
        t->quit();
    }, Qt::QueuedConnection);
    t->wait();
    delete t;
}

EngineWorker::EngineWorker() = default;
EngineWorker::~EngineWorker() = default;

quint64 EngineWorker::nextRequestId() { return ++issued_; }

void EngineWorker::cancel() {
    cancelledUpTo_.store(issued_.load());
    cancelFlag_.store(true);
}

void EngineWorker::checkThread() {
    ++engineCalls_;
    if (QThread::currentThread() != thread_) {
        ++wrongThreadCalls_;
        qCritical("EngineWorker: engine called from a thread other than its own");
        Q_ASSERT_X(false, "EngineWorker", "engine called off its thread");
    }
}

void EngineWorker::loadModel(const QString& path, const QString& device, const QString& voice) {
    checkThread();
    // The model that works stays until the new one has loaded: a folder that
    // turns out to be broken must not leave the writer with none.
    try {
        const auto folder = ModelFolder::inspect(std::filesystem::path(path.toStdString()));
        auto tokenizer = std::make_unique<Tokenizer>(folder.load_tokenizer());
        EngineOptions options;
        if (!device.isEmpty()) options.device = parse_device(device.toStdString());
        options.precision = parse_precision(AppSettings::precision().toStdString());
        if (const int t = qEnvironmentVariableIntValue("FABULA_THREADS"); t > 0) options.threads = t;
        ++modelLoads_;
        auto model = CausalLM::load(folder, options, [this](double f) { Q_EMIT modelLoadProgress(f); });
        auto generator = std::make_unique<Generator>(*model, *tokenizer);
        generator_ = std::move(generator);
        model_ = std::move(model);
        tokenizer_ = std::move(tokenizer);
        adapter_.clear();
        voice_.clear();
        ModelInfo info;
        info.path = path;
        info.name = QDir(path).dirName();
        info.placement = QString::fromStdString(model_->placement().describe());
        info.nPositions = model_->context_length();
        Q_EMIT modelLoaded(info);
    } catch (const std::exception& e) {
        Q_EMIT modelLoadFailed(path, QString::fromUtf8(e.what()));
        return;
    }
    if (!voice.isEmpty()) setVoice(voice);
}

void EngineWorker::setVoice(const QString& adapterDir) {
    checkThread();
    if (!model_) {
        Q_EMIT voiceFailed(adapterDir, tr("No model is loaded."));
        return;
    }
    try {
        std::vector<AdapterChoice> choice;
        QString name;
        if (!adapterDir.isEmpty()) {
            const std::filesystem::path dir(adapterDir.toStdString());
            name = QString::fromStdString(AdapterFolder::inspect(dir).name);
            choice.push_back({dir, 1.0});
        }
        model_->set_adapters(choice);
        adapter_ = adapterDir;
        voice_ = name;
        Q_EMIT voiceChanged(adapter_, voice_);
    } catch (const std::exception& e) {
        Q_EMIT voiceFailed(adapterDir, QString::fromUtf8(e.what()));
    }
}

void EngineWorker::generate(quint64 requestId, const QString& contextText, const GenerationSettings& gs,
                            std::shared_ptr<const StoryContext> story) {
    checkThread();
    GenerationOutcome out;
    out.requestId = requestId;
    out.status = QStringLiteral("cancelled");
    out.adapter = adapter_;
    out.voice = voice_;
    // A request cancelled while it waited in the queue never starts. The flag
    // is cleared first and the id checked again, so a cancel() landing between
    // the two is never lost.
    if (requestId <= cancelledUpTo_.load()) {
        Q_EMIT finished(out);
        return;
    }
    cancelFlag_.store(false);
    if (requestId <= cancelledUpTo_.load()) cancelFlag_.store(true);
    if (!generator_) {
        out.error = tr("No model is loaded.");
        Q_EMIT finished(out);
        return;
    }
    try {
        SamplingSettings s;
        s.temperature = gs.temperature;
        s.top_k = gs.topK;
        s.top_p = gs.topP;
        s.repetition_penalty = gs.repetitionPenalty;
        // The GUI clamps and tells the writer; this keeps any caller honest.
        const int maxNew = Generator::clamp_max_new_tokens(gs.maxNewTokens, model_->context_length());
        s.max_new_tokens = maxNew;
        s.seed = gs.seed;
        generator_->test_token_delay_ms = gs.testTokenDelayMs;

        const std::string storyText = contextText.toStdString();
        PromptRequest request;
        request.story = storyText;
        request.context = story.get();
        request.context_length = model_->context_length();
        request.max_new_tokens = maxNew;
        auto prompt = build_prompt(*tokenizer_, request).ids;
        // GPT-2 starts an untitled text from its end-of-text token (Llama from its BOS).
        if (prompt.empty() && !tokenizer_->adds_bos() && tokenizer_->end_of_text_id() >= 0)
            prompt.push_back(tokenizer_->end_of_text_id());
        auto r = generator_->generate(prompt, s, [&](std::string_view p) {
            Q_EMIT piece(requestId, QString::fromUtf8(p.data(), qsizetype(p.size())));
        }, &cancelFlag_);

        std::string text = trim_to_boundary(r.text, gs.endAt);
        std::vector<int32_t> kept = r.generated_ids;
        if (!kept.empty() && kept.back() == tokenizer_->end_of_text_id()) kept.pop_back();
        if (text.size() < r.text.size()) {
            // The shortest run of tokens that covers the kept text.
            std::size_t n = 0;
            while (n < kept.size() && tokenizer_->decode(std::span(kept.data(), n)).size() < text.size()) ++n;
            kept.resize(n);
        }
        out.text = QString::fromUtf8(text.data(), qsizetype(text.size()));
        out.ids = QVector<qint32>(kept.begin(), kept.end());
        out.promptIds = QVector<qint32>(prompt.begin(), prompt.end());
        out.promptText = QString::fromUtf8(tokenizer_->decode(prompt));
        out.status = r.reason == StopReason::Cancelled ? QStringLiteral("cancelled") : QStringLiteral("finished");
        out.stopReason = QString::fromStdString(to_string(r.reason));
        out.tokensPerSecond = r.tokens_per_second;
        out.msToFirstToken = r.ms_to_first_token;
        out.promptTokensProcessed = r.prompt_tokens_processed;
        out.promptTokensReused = r.prompt_tokens_reused;
    } catch (const std::exception& e) {
        out.error = QString::fromUtf8(e.what());
    }
    Q_EMIT finished(out);
}

} // namespace fabula::ui
