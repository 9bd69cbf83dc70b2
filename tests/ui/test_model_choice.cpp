// The model picker and the download list: the picker lists a tiny GPT-2 and
// a tiny Llama folder (written here with write_safetensors) with family,
// size, precision, memory and the speed estimate from a recorded
// measurement; the download dialog shows each curated model's family, size,
// license and access before anything is fetched.
#ifndef Q_MOC_RUN // moc cannot parse the C++20 headers behind these
#include "core/model_config.h"
#include "core/model_tensors.h"
#include "core/safetensors.h"
#include "core/store/store.h"
#endif
#include "ui/app_settings.h"
#include "ui/download_dialog.h"
#include "ui/engine_worker.h"
#include "ui/hub_catalog.h"
#include "ui/model_dialog.h"
#include "ui/model_list_model.h"
#include "ui/model_manager.h"
#include "ui/store_client.h"
#include "test_support.h"

#include <QFile>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QTableView>
#include <QTreeView>
#include <QtTest>

#include <nlohmann/json.hpp>

#include <fstream>

using namespace fabula;
using namespace fabula::ui;

namespace {

// Parameters counted by hand from the architectures (not from Fabula's table).
qint64 gpt2Parameters(qint64 V, qint64 P, qint64 C, qint64 L) {
    const qint64 block = 2 * C + (C * 3 * C + 3 * C) + (C * C + C) + 2 * C + (C * 4 * C + 4 * C) + (4 * C * C + C);
    return V * C + P * C + L * block + 2 * C; // tied output layer
}
qint64 llamaParameters(qint64 V, qint64 C, qint64 I, qint64 L, qint64 heads, qint64 kvHeads) {
    const qint64 D = C / heads;
    const qint64 block = C * C + 2 * C * kvHeads * D + C * C + 3 * C * I + 2 * C;
    return V * C + L * block + C + V * C; // untied lm_head
}

// config.json, a zero-filled model.safetensors in `dtype`, and the GPT-2 tokenizer files.
void writeModel(const QString& dir, const nlohmann::json& config, DType dtype) {
    QVERIFY(QDir().mkpath(dir));
    const std::filesystem::path d(dir.toStdString());
    std::ofstream(d / "config.json") << config.dump(2);
    const ModelConfig c = ModelConfig::from_json(config, "config.json");
    const auto table = tensor_table(c);
    int64_t largest = 0;
    for (const auto& t : table) largest = std::max(largest, t.numel());
    const std::vector<char> zeros(size_t(largest) * dtype_size(dtype), 0);
    std::vector<TensorToWrite> tensors;
    for (const auto& t : table) tensors.push_back({t.name, dtype, t.file_shape(), zeros.data()});
    write_safetensors(d / "model.safetensors", tensors);
    for (const char* f : {"vocab.json", "merges.txt"})
        QVERIFY(QFile::copy(QStringLiteral(FABULA_TEST_GPT2_DIR "/") + QLatin1String(f), dir + QLatin1Char('/') + QLatin1String(f)));
}

int rowOf(QAbstractItemModel* m, const QString& name) {
    for (int r = 0; r < m->rowCount(); ++r)
        if (m->index(r, 0).data().toString() == name) return r;
    return -1;
}

} // namespace

class TestModelChoice : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    QString gpt2_, llama_;
    const qint64 gpt2Params_ = gpt2Parameters(50257, 32, 16, 1);
    const qint64 llamaParams_ = llamaParameters(50257, 32, 64, 2, 4, 2);

private Q_SLOTS:
    void initTestCase() {
        test::isolate(dir_);
        QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
        gpt2_ = dir_.filePath(QStringLiteral("tiny-gpt2"));
        llama_ = dir_.filePath(QStringLiteral("tiny-llama"));
        writeModel(gpt2_, {{"model_type", "gpt2"}, {"n_layer", 1}, {"n_head", 2}, {"n_embd", 16},
                           {"n_positions", 32}, {"vocab_size", 50257}, {"torch_dtype", "float32"}},
                   DType::F32);
        writeModel(llama_, {{"model_type", "llama"}, {"hidden_size", 32}, {"intermediate_size", 64},
                            {"num_hidden_layers", 2}, {"num_attention_heads", 4}, {"num_key_value_heads", 2},
                            {"max_position_embeddings", 64}, {"vocab_size", 50257}, {"rms_norm_eps", 1e-5},
                            {"tie_word_embeddings", false}, {"bos_token_id", 50256}, {"eos_token_id", 50256},
                            {"torch_dtype", "bfloat16"}},
                   DType::BF16);
    }

    void parameterCounts() {
        QCOMPARE(parameterCountText(124'439'808), QStringLiteral("124M"));
        QCOMPARE(parameterCountText(1'100'048'384), QStringLiteral("1.1B"));
        QCOMPARE(parameterCountText(6'053'381'344), QStringLiteral("6.1B"));
        QCOMPARE(parameterCountText(1'000'000'000), QStringLiteral("1B"));
        QCOMPARE(parameterCountText(5'400'000), QStringLiteral("5.4M"));
        QCOMPARE(parameterCountText(812'000), QStringLiteral("812K"));
    }

    void factsOfEachFamily() {
        const ModelSummary g = ModelSummary::inspect(gpt2_);
        QVERIFY2(g.ok(), qPrintable(g.error));
        QCOMPARE(g.family, QStringLiteral("GPT-2"));
        QCOMPARE(g.parameters, gpt2Params_);
        QCOMPARE(g.filePrecision, QStringLiteral("fp32"));
        const ModelSummary l = ModelSummary::inspect(llama_);
        QVERIFY2(l.ok(), qPrintable(l.error));
        QCOMPARE(l.family, QStringLiteral("Llama"));
        QCOMPARE(l.modelType, QStringLiteral("llama"));
        QCOMPARE(l.parameters, llamaParams_);
        QCOMPARE(l.filePrecision, QStringLiteral("bf16"));
        // Weights in the precision they run in; on the CPU the cache's keys and values are fp32 for
        // fp32 weights and fp16 under 16-bit ones (auto picks bf16 where the CPU has AVX512_BF16).
        auto bytesOf = [](const ModelSummary& f) -> qint64 { return f.runPrecision == QLatin1String("fp32") ? 4 : 2; };
        for (const ModelSummary* f : {&g, &l})
            QCOMPARE(f->weightBytes, f->parameters * bytesOf(*f));
        QCOMPARE(g.context, 32);
        QCOMPARE(g.cacheBytes, qint64(2) * 1 * 2 * 8 * bytesOf(g) * 32);  // layers, heads, head size 8, 32 tokens
        QCOMPARE(l.context, 64);
        QCOMPARE(l.cacheBytes, qint64(2) * 2 * 2 * 8 * bytesOf(l) * 64);  // 2 key/value heads of size 8
        const ModelSummary bad = ModelSummary::inspect(dir_.filePath(QStringLiteral("nothing-here")));
        QVERIFY(!bad.ok());
        QVERIFY(bad.error.contains(QStringLiteral("nothing-here")));
    }

    void pickerListsFamiliesSizesAndMemory() {
        const QString db = dir_.filePath(QStringLiteral("picker.db"));
        {
            Store s(db.toStdString());
            s.model_for_folder("tiny-gpt2", gpt2_.toStdString());
            s.model_for_folder("tiny-llama", llama_.toStdString());
        }
        AppSettings settings;
        MeasuredSpeed none;
        AppSettings::setMeasuredSpeed(none);
        auto* engine = EngineWorker::create();
        {
            StoreClient store(db);
            ModelManager models(engine, &store);
            ModelDialog dialog(&models, &settings);
            dialog.show();
            QSignalSpy ready(dialog.list(), &ModelListModel::factsReady);
            QTRY_COMPARE_WITH_TIMEOUT(dialog.list()->rowCount(), 2, 30000);
            QTRY_VERIFY_WITH_TIMEOUT(dialog.list()->facts(0) && dialog.list()->facts(1), 30000);
            QVERIFY(ready.count() >= 1);
            QAbstractItemModel* m = dialog.view()->model();
            const int g = rowOf(m, QStringLiteral("tiny-gpt2")), l = rowOf(m, QStringLiteral("tiny-llama"));
            QVERIFY(g >= 0 && l >= 0);
            const auto cell = [&](int row, int column) { return m->index(row, column).data().toString(); };
            QCOMPARE(cell(g, ModelListModel::Family), QStringLiteral("GPT-2"));
            QCOMPARE(cell(l, ModelListModel::Family), QStringLiteral("Llama"));
            QCOMPARE(cell(g, ModelListModel::Size), parameterCountText(gpt2Params_));
            QCOMPARE(cell(l, ModelListModel::Size), parameterCountText(llamaParams_));
            QVERIFY(cell(g, ModelListModel::Size).endsWith(QLatin1Char('K')));
            // The file's precision, and the one it runs in here when that differs (bf16 on CPUs that have it).
            const ModelSummary gf = *dialog.list()->facts(g);
            const ModelSummary lf = *dialog.list()->facts(l);
            const auto precision = [](const QString& file, const QString& run) {
                return run == file ? file : QStringLiteral("%1 (runs in %2)").arg(file, run);
            };
            QCOMPARE(cell(g, ModelListModel::Precision), precision(QStringLiteral("fp32"), gf.runPrecision));
            QCOMPARE(cell(l, ModelListModel::Precision), precision(QStringLiteral("bf16"), lf.runPrecision));
            const QLocale loc;
            QCOMPARE(cell(g, ModelListModel::Memory), loc.formattedDataSize(gf.weightBytes + gf.cacheBytes));
            QCOMPARE(cell(l, ModelListModel::Memory), loc.formattedDataSize(lf.weightBytes + lf.cacheBytes));
            QVERIFY(m->index(l, ModelListModel::Memory).data(Qt::ToolTipRole).toString().contains(QStringLiteral("64 token")));
            QCOMPARE(cell(g, ModelListModel::Speed), QStringLiteral("not measured yet"));
            QCOMPARE(cell(l, ModelListModel::Speed), QStringLiteral("not measured yet"));

            // A measured generation of the GPT-2: recorded, and the Llama's estimate scales by weight bytes.
            QSignalSpy loaded(&models, &ModelManager::loaded);
            models.load(gpt2_);
            QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, 60000);
            QSignalSpy measured(&models, &ModelManager::speedMeasured);
            GenerationOutcome o;
            o.status = QStringLiteral("cancelled");
            o.tokensPerSecond = 99;
            Q_EMIT engine->finished(o); // a cancelled one is not a measurement
            o.status = QStringLiteral("finished");
            o.tokensPerSecond = 40;
            Q_EMIT engine->finished(o);
            QTRY_COMPARE_WITH_TIMEOUT(measured.count(), 1, 30000);
            const MeasuredSpeed saved = AppSettings::measuredSpeed();
            QCOMPARE(saved.tokensPerSecond, 40.0);
            QCOMPARE(saved.weightBytes, gf.weightBytes);
            QCOMPARE(saved.model, QStringLiteral("tiny-gpt2"));
            const double expected = 40.0 * double(gf.weightBytes) / double(lf.weightBytes);
            QCOMPARE(cell(l, ModelListModel::Speed),
                     QStringLiteral("about %1 tokens/s").arg(loc.toString(expected, 'f', expected < 10 ? 1 : 0)));
            QCOMPARE(cell(g, ModelListModel::Speed), QStringLiteral("about 40 tokens/s"));
            QVERIFY(m->index(l, ModelListModel::Speed).data(Qt::ToolTipRole).toString().contains(QStringLiteral("tiny-gpt2")));
        }
        // A new picker reads the measurement back from the settings.
        {
            StoreClient store(db);
            ModelManager models(engine, &store);
            ModelListModel list(&models);
            models.refresh();
            QTRY_VERIFY_WITH_TIMEOUT(list.rowCount() == 2 && list.facts(0) && list.facts(1), 30000);
            for (int r = 0; r < 2; ++r)
                QVERIFY(list.index(r, ModelListModel::Speed).data().toString().startsWith(QStringLiteral("about ")));
        }
        engine->shutdown();
    }

    void downloadListShowsFamilySizeLicenseAccess() {
        AppSettings settings;
        settings.setHubToken(QString());
        DownloadDialog dialog(&settings);
        dialog.show();
        QAbstractItemModel* m = dialog.choice()->model();
        QCOMPARE(m->rowCount(), int(hubCatalog().size()));
        QStringList families;
        for (int r = 0; r < m->rowCount(); ++r) families << m->index(r, HubCatalogModel::Family).data().toString();
        for (const char* f : {"GPT-2", "GPT-Neo", "GPT-J", "Llama"})
            QVERIFY2(families.contains(QLatin1String(f)), f);
        const auto row = [&](const QString& label) {
            const int r = rowOf(m, label);
            [&] { QVERIFY2(r >= 0, qPrintable(label)); }();
            QStringList cells;
            for (int c = 0; c < HubCatalogModel::ColumnCount; ++c) cells << m->index(r, c).data().toString();
            return cells;
        };
        QCOMPARE(row(QStringLiteral("GPT-2 small")),
                 (QStringList{QStringLiteral("GPT-2 small"), QStringLiteral("GPT-2"), QStringLiteral("124M"),
                              QLocale().formattedDataSize(548'105'171, 2, QLocale::DataSizeSIFormat), QStringLiteral("MIT"), QStringLiteral("open")}));
        const QStringList gptj = row(QStringLiteral("GPT-J 6B (float16)"));
        QCOMPARE(gptj.at(HubCatalogModel::Family), QStringLiteral("GPT-J"));
        QCOMPARE(gptj.at(HubCatalogModel::Parameters), QStringLiteral("6.1B"));
        QCOMPARE(gptj.at(HubCatalogModel::Download), QStringLiteral("about 12.1 GB")); // published, rounded
        QCOMPARE(row(QStringLiteral("SmolLM2 135M")).at(HubCatalogModel::Download), QStringLiteral("about 269 MB"));
        QCOMPARE(gptj.at(HubCatalogModel::License), QStringLiteral("Apache-2.0"));
        const QStringList llama = row(QStringLiteral("Llama 3.2 1B"));
        QCOMPARE(llama.at(HubCatalogModel::Access), QStringLiteral("gated: needs a token"));
        QVERIFY(row(QStringLiteral("SmolLM2 135M")).at(HubCatalogModel::Parameters) == QStringLiteral("135M"));
        QVERIFY(rowOf(m, QStringLiteral("Qwen2.5 0.5B")) >= 0);
        QVERIFY(rowOf(m, QStringLiteral("TinyLlama 1.1B")) >= 0);
        for (const char* label : {"GPT-2 medium", "GPT-2 large", "GPT-2 XL", "GPT-Neo 125M", "GPT-Neo 1.3B", "GPT-Neo 2.7B",
                                  "SmolLM2 360M", "SmolLM2 1.7B", "Qwen2.5 1.5B"})
            QVERIFY2(rowOf(m, QLatin1String(label)) >= 0, label);

        // The chosen row gives repository and revision; another repository overrides it.
        QCOMPARE(dialog.chosenRepo(), QStringLiteral("gpt2"));
        dialog.choice()->selectRow(rowOf(m, QStringLiteral("GPT-J 6B (float16)")));
        QCOMPARE(dialog.chosenRepo(), QStringLiteral("EleutherAI/gpt-j-6b"));
        QCOMPARE(dialog.chosenRevision(), QStringLiteral("float16"));
        dialog.otherRepository()->setChecked(true);
        QVERIFY(!dialog.choice()->isEnabled());
        dialog.repoField()->setText(QStringLiteral(" someone/model "));
        dialog.revisionField()->setText(QStringLiteral("v2"));
        QCOMPARE(dialog.chosenRepo(), QStringLiteral("someone/model"));
        QCOMPARE(dialog.chosenRevision(), QStringLiteral("v2"));

        // What a base model is, said before downloading.
        bool said = false;
        for (auto* label : dialog.findChildren<QLabel*>())
            said = said || (label->text().contains(QStringLiteral("base models")) &&
                            label->text().contains(QStringLiteral("instruct")));
        QVERIFY(said);
        // The token field hides what is typed and is kept in the settings only when a download starts.
        QCOMPARE(dialog.tokenField()->echoMode(), QLineEdit::Password);
    }
};

QTEST_MAIN(TestModelChoice)
#include "test_model_choice.moc"
