// The feedback sets from a store file made by driving the app offscreen with
// a tiny random GPT-2: Continue, Regenerate then Accept; the Alternatives
// with a pick, then edited; a thumbs-down without a partner. Each
// continuation lands in its round and its set, with the exact context ids
// the engine reported for it.
#ifndef Q_MOC_RUN // moc cannot parse the C++20 headers behind these
#include "core/store/store.h"
#endif
#include "ui/editor.h"
#include "ui/main_window.h"
#include "ui/model_manager.h"
#include "ui/store_client.h"
#include "test_support.h"

#include <QAction>
#include <QtTest>

#include <map>
#include <memory>

using namespace fabula;
using namespace fabula::ui;

namespace {

std::vector<std::int32_t> ids_of(const QVector<qint32>& v) { return {v.begin(), v.end()}; }

const FeedbackItem* find(const std::vector<FeedbackItem>& items, std::int64_t id, std::int64_t other) {
    for (const auto& it : items)
        if (it.key.continuation_id == id && it.key.other_id == other) return &it;
    return nullptr;
}

} // namespace

class TestFeedbackRounds : public QObject {
    Q_OBJECT

private:
    QTemporaryDir dir_;
    QString model_, db_;
    std::unique_ptr<MainWindow> window_;
    std::vector<GenerationOutcome> outcomes_;

    GenerationSettings settings(int tokens) {
        GenerationSettings s;
        s.maxNewTokens = tokens;
        s.endAt = EndAt::Anywhere;
        return s;
    }
    void waitFor(std::size_t n) { QTRY_VERIFY_WITH_TIMEOUT(outcomes_.size() >= n, 60000); }
    // The recorded continuation of an outcome: the one with its text and ids.
    static const ContinuationRecord* recorded(const std::vector<ContinuationRecord>& list, const GenerationOutcome& o) {
        for (const auto& c : list)
            if (c.continuation_ids == ids_of(o.ids) && c.context_ids == ids_of(o.promptIds) &&
                QString::fromStdString(c.continuation_text) == o.text)
                return &c;
        return nullptr;
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        test::isolate(dir_);
        model_ = dir_.filePath(QStringLiteral("tiny-gpt2"));
        QVERIFY(test::makeModel(model_));
        db_ = dir_.filePath(QStringLiteral("library/fabula.sqlite"));
        MainWindowOptions o;
        o.databasePath = db_;
        o.modelPath = model_;
        o.askForModel = false;
        window_ = std::make_unique<MainWindow>(o);
        window_->show();
        QTRY_VERIFY_WITH_TIMEOUT(window_->models()->isLoaded() && window_->documents()->currentDraft() != 0, 60000);
        connect(window_->suggestions(), &SuggestionController::generationFinished, this,
                [this](const GenerationOutcome& out) { outcomes_.push_back(out); });
    }

    void roundsAndSetsFromTheApp() {
        auto* ed = window_->editor();
        auto* s = window_->suggestions();
        ed->setFocus();
        QTest::keyClicks(ed, QStringLiteral("Once upon a time, the lighthouse keeper"));
        s->setSettings(settings(8));

        // Continue, Regenerate (the first is rejected), Accept.
        window_->action(QStringLiteral("continue"))->trigger();
        waitFor(1);
        window_->action(QStringLiteral("regenerate"))->trigger();
        waitFor(2);
        QCOMPARE(s->state(), SuggestionController::State::Showing);
        QTest::keyClick(ed, Qt::Key_Tab);
        QCOMPARE(s->state(), SuggestionController::State::Idle);

        // Alternatives: pick the second, accept it, then edit it.
        QSignalSpy ready(s, &SuggestionController::alternativesReady);
        window_->action(QStringLiteral("alternatives"))->trigger();
        QTRY_COMPARE_WITH_TIMEOUT(ready.count(), 1, 60000);
        waitFor(5);
        const QStringList texts = ready.at(0).at(0).toStringList();
        QCOMPARE(texts.size(), 3);
        s->chooseAlternative(1);
        s->accept();
        ed->moveCursor(QTextCursor::End);
        QTest::keyClicks(ed, QStringLiteral(" edited"));
        QTRY_COMPARE(window_->documents()->saveState(), DocumentManager::SaveState::Saved);

        // A new Continue, thumbs down, dismissed: no partner.
        window_->action(QStringLiteral("continue"))->trigger();
        waitFor(6);
        window_->action(QStringLiteral("thumbsDown"))->trigger();
        QTest::keyClick(ed, Qt::Key_Escape);
        window_->store()->waitForIdle();

        Store store(db_.toStdString(), {.read_only = true});
        const auto list = store.list_continuations(window_->documents()->currentDraft());
        QCOMPARE(list.size(), std::size_t(6));
        const ContinuationRecord *first = recorded(list, outcomes_[0]), *second = recorded(list, outcomes_[1]),
                                 *last = recorded(list, outcomes_[5]);
        QVERIFY(first && second && last);
        std::vector<const ContinuationRecord*> alts;
        const ContinuationRecord* picked = nullptr;
        for (int i = 2; i < 5; ++i) {
            alts.push_back(recorded(list, outcomes_[i]));
            QVERIFY(alts.back());
            if (QString::fromStdString(alts.back()->continuation_text) == texts[1]) picked = alts.back();
        }
        QVERIFY(picked);
        // Rounds: Continue and its Regenerate share one; the Alternatives
        // share another; the last Continue has its own.
        QVERIFY(first->round_id && first->round_id == second->round_id);
        for (const auto* a : alts) QVERIFY(a->round_id == alts[0]->round_id);
        QVERIFY(alts[0]->round_id != first->round_id);
        QVERIFY(last->round_id != first->round_id && last->round_id != alts[0]->round_id);

        const FeedbackItems items = store.feedback_items();
        // Regenerate then Accept: accepted over rejected, with the context
        // ids the engine reported and the tokens it wrote.
        const FeedbackItem* regen = find(items.pairs, second->id, first->id);
        QVERIFY(regen);
        QVERIFY(regen->source == PairSource::Round);
        QVERIFY(regen->prompt_ids == ids_of(outcomes_[1].promptIds));
        QVERIFY(regen->prompt_ids == ids_of(outcomes_[0].promptIds));
        QVERIFY(regen->completion_ids == std::optional(ids_of(outcomes_[1].ids)));
        QVERIFY(regen->rejected_ids == std::optional(ids_of(outcomes_[0].ids)));
        // The pick over each other alternative, with the writer's edit as chosen.
        int pick_pairs = 0;
        for (const auto* a : alts) {
            if (a == picked) continue;
            const FeedbackItem* p = find(items.pairs, picked->id, a->id);
            QVERIFY(p);
            QCOMPARE(QString::fromStdString(p->completion), texts[1] + QStringLiteral(" edited"));
            QVERIFY(p->prompt_ids == ids_of(outcomes_[2].promptIds));
            ++pick_pairs;
        }
        QCOMPARE(pick_pairs, 2);
        const FeedbackItem* edit = find(items.pairs, picked->id, picked->id);
        QVERIFY(edit && edit->source == PairSource::Edit);
        QCOMPARE(QString::fromStdString(edit->rejected), texts[1]);
        QCOMPARE(items.pairs.size(), std::size_t(4));
        // Accepted: the Regenerate's text as the model wrote it, the pick as edited.
        QCOMPARE(items.sft.size(), std::size_t(2));
        QVERIFY(find(items.sft, second->id, second->id) && find(items.sft, picked->id, picked->id));
        QCOMPARE(QString::fromStdString(find(items.sft, picked->id, picked->id)->completion),
                 texts[1] + QStringLiteral(" edited"));
        // The thumbs-down without a partner.
        QCOMPARE(items.kto.size(), std::size_t(1));
        QCOMPARE(items.kto[0].key.continuation_id, last->id);
        QVERIFY(!items.kto[0].label);
        QVERIFY(items.kto[0].prompt_ids == ids_of(outcomes_[5].promptIds));
    }

    void cleanupTestCase() { window_.reset(); }
};

QTEST_MAIN(TestFeedbackRounds)
#include "test_feedback_rounds.moc"
