// The parts of the window one at a time: the suggestion never enters the
// document or its undo stack, boundaries for trimmed continuations, the
// drafts list over a real store, settings presets, find/replace, counts.
#ifndef Q_MOC_RUN // moc cannot parse the C++20 headers behind these
#include "core/store/store.h"
#endif
#include "ui/app_settings.h"
#include "ui/continuation_text.h"
#include "ui/document_statistics.h"
#include "ui/draft_files.h"
#include "ui/drafts_model.h"
#include "ui/editor.h"
#include "ui/find_bar.h"
#include "ui/settings_dialog.h"
#include "ui/store_client.h"
#include "test_support.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLineEdit>
#include <QTextBlock>
#include <QTextLayout>
#include <QtTest>

using namespace fabula;
using namespace fabula::ui;

class TestWidgets : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;

private Q_SLOTS:
    void initTestCase() { test::isolate(dir_); }

    void trimsAtBoundaries() {
        QCOMPARE(trim_to_boundary("He left. She stayed and", EndAt::Sentence), std::string("He left."));
        QCOMPARE(trim_to_boundary("\"Go!\" she said", EndAt::Sentence), std::string("\"Go!\""));
        QCOMPARE(trim_to_boundary("Mr. Smith waited", EndAt::Sentence), std::string("Mr."));
        QCOMPARE(trim_to_boundary("no end here", EndAt::Sentence), std::string("no end here"));
        QCOMPARE(trim_to_boundary("3.14 is pi", EndAt::Sentence), std::string("3.14 is pi"));
        QCOMPARE(trim_to_boundary("One.\n\nTwo and", EndAt::Paragraph), std::string("One."));
        QCOMPARE(trim_to_boundary("\nOne and", EndAt::Paragraph), std::string("\nOne and"));
        QCOMPARE(trim_to_boundary("a. b", EndAt::Anywhere), std::string("a. b"));
    }

    void suggestionIsNeverPartOfTheDocument() {
        DraftEditor ed;
        ed.resize(600, 400);
        ed.show();
        ed.setPlainText(QStringLiteral("First line.\nThe sea"));
        ed.moveCursor(QTextCursor::End);
        QVERIFY(!ed.document()->isUndoAvailable());
        QSignalSpy changed(ed.document(), &QTextDocument::contentsChanged);
        ed.beginSuggestion();
        ed.setSuggestion(QStringLiteral(" was grey.\nAnd cold."));
        QCoreApplication::processEvents();
        QCOMPARE(changed.count(), 0);
        QCOMPARE(ed.draftText(), QStringLiteral("First line.\nThe sea"));
        QCOMPARE(ed.document()->toPlainText(), QStringLiteral("First line.\nThe sea"));
        QVERIFY(!ed.document()->isUndoAvailable());
        QCOMPARE(ed.document()->blockCount(), 2);
        // Drawn in the layout after the cursor.
        const QString shown = ed.textCursor().block().layout()->preeditAreaText();
        QCOMPARE(shown, QStringLiteral(" was grey.") + QChar(QChar::LineSeparator) + QStringLiteral("And cold."));
        QCOMPARE(ed.textCursor().position(), 19);
        // Esc dismisses: nothing left anywhere.
        QSignalSpy rejected(&ed, &DraftEditor::rejectRequested);
        QTest::keyClick(&ed, Qt::Key_Escape);
        QCOMPARE(rejected.count(), 1);
        ed.dismissSuggestion();
        QVERIFY(ed.textCursor().block().layout()->preeditAreaText().isEmpty());

        // Accept is one undo step, even right after typing.
        QTest::keyClicks(&ed, QStringLiteral(" x"));
        const QString typed = ed.draftText();
        ed.beginSuggestion();
        ed.setSuggestion(QStringLiteral(" was grey.\nAnd cold."));
        const auto [start, end] = ed.acceptSuggestion();
        QCOMPARE(ed.draftText(), typed + QStringLiteral(" was grey.\nAnd cold."));
        QCOMPARE(end - start, 20);
        ed.undo();
        QCOMPARE(ed.draftText(), typed);
        ed.undo();
        QVERIFY(ed.draftText() != typed);
    }

    void typingOrMovingInterrupts() {
        DraftEditor ed;
        ed.show();
        ed.setPlainText(QStringLiteral("abc"));
        ed.moveCursor(QTextCursor::End);
        QSignalSpy interrupted(&ed, &DraftEditor::interrupted);
        ed.beginSuggestion();
        ed.setSuggestion(QStringLiteral("def"));
        QTest::keyClick(&ed, Qt::Key_Shift); // a modifier alone does nothing
        QCOMPARE(interrupted.count(), 0);
        QTest::keyClicks(&ed, QStringLiteral("Z"));
        QCOMPARE(interrupted.count(), 1);
        QCOMPARE(ed.draftText(), QStringLiteral("abcZ"));
        QVERIFY(ed.textCursor().block().layout()->preeditAreaText().isEmpty());
        ed.beginSuggestion();
        ed.setSuggestion(QStringLiteral("def"));
        QTest::keyClick(&ed, Qt::Key_Left);
        QCOMPARE(interrupted.count(), 2);
        QVERIFY(!ed.suggestionActive());
    }

    void exportLeavesTheSuggestionOut() {
        DraftEditor ed;
        ed.setPlainText(QStringLiteral("Only this."));
        ed.moveCursor(QTextCursor::End);
        ed.beginSuggestion();
        ed.setSuggestion(QStringLiteral(" Not this."));
        const QString txt = dir_.filePath(QStringLiteral("out.txt"));
        QVERIFY(exportDraft(ed.draftText(), QStringLiteral("T"), txt).isEmpty());
        QFile f(txt);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(QString::fromUtf8(f.readAll()), QStringLiteral("Only this.\n"));
        const QString odt = dir_.filePath(QStringLiteral("out.odt"));
        QVERIFY(exportDraft(ed.draftText(), QStringLiteral("T"), odt).isEmpty());
        QVERIFY(QFileInfo(odt).size() > 100);
        QString title, body;
        QVERIFY(importDraft(txt, &title, &body).isEmpty());
        QCOMPARE(title, QStringLiteral("out"));
        QCOMPARE(body, QStringLiteral("Only this."));
    }

    void draftsModelOverTheStore() {
        StoreClient store(dir_.filePath(QStringLiteral("drafts.sqlite")));
        DraftsModel model(&store);
        QSignalSpy refreshed(&model, &DraftsModel::refreshed);
        qint64 a = 0, b = 0;
        model.createDraft(QStringLiteral("Alpha"), QStringLiteral("one two three"), [&](qint64 id) { a = id; });
        QTRY_VERIFY(a != 0);
        model.createDraft(QStringLiteral("Beta"), QStringLiteral("four"), [&](qint64 id) { b = id; });
        QTRY_VERIFY(b != 0);
        QTRY_COMPARE(model.rowCount(), 2);
        QCOMPARE(model.idAt(0), b); // newest change first
        QCOMPARE(model.data(model.index(1), DraftsModel::WordCountRole).toLongLong(), 3);
        model.renameDraft(a, QStringLiteral("Alpha prime"));
        QTRY_COMPARE(model.data(model.index(model.rowOf(a)), DraftsModel::TitleRole).toString(), QStringLiteral("Alpha prime"));
        qint64 copy = 0;
        model.duplicateDraft(a, [&](qint64 id) { copy = id; });
        QTRY_VERIFY(copy != 0);
        QTRY_COMPARE(model.rowCount(), 3);
        model.setSearch(QStringLiteral("FOUR"));
        QTRY_COMPARE(model.rowCount(), 1);
        model.setSearch({});
        QTRY_COMPARE(model.rowCount(), 3);
        QSignalSpy trashed(&model, &DraftsModel::draftTrashed);
        model.trashDraft(b);
        QTRY_COMPARE(trashed.count(), 1);
        QTRY_COMPARE(model.rowCount(), 2);
        model.restoreDraft(b);
        QTRY_COMPARE(model.rowCount(), 3);
    }

    void presetsAndAdvancedSettingsAreRemembered() {
        AppSettings settings;
        QCOMPARE(settings.preset(), Preset::Balanced);
        SettingsDialog dialog(&settings);
        auto* preset = dialog.findChildren<QComboBox*>().first();
        preset->setCurrentIndex(preset->findData(int(Preset::Wild)));
        dialog.accept();
        QCOMPARE(settings.preset(), Preset::Wild);
        QCOMPARE(settings.generation().temperature, AppSettings::presetValues(Preset::Wild).temperature);
        GenerationSettings custom = AppSettings::presetValues(Preset::Balanced);
        custom.temperature = 0.55;
        custom.maxNewTokens = 33;
        custom.endAt = EndAt::Paragraph;
        settings.setGeneration(Preset::Custom, custom);
        AppSettings again;
        QCOMPARE(again.generation().temperature, 0.55);
        QCOMPARE(again.generation().maxNewTokens, 33);
        QVERIFY(again.generation().endAt == EndAt::Paragraph);
        // Touching an advanced value in the dialog switches to Custom.
        SettingsDialog d2(&again);
        auto* p2 = d2.findChildren<QComboBox*>().first();
        p2->setCurrentIndex(p2->findData(int(Preset::Faithful)));
        d2.findChildren<QDoubleSpinBox*>().first()->setValue(1.7);
        QCOMPARE(Preset(p2->currentData().toInt()), Preset::Custom);
    }

    void replaceAllIsOneUndoStep() {
        DraftEditor ed;
        ed.setPlainText(QStringLiteral("cat and cat and Cat"));
        FindBar bar(&ed);
        bar.findField()->setText(QStringLiteral("cat"));
        bar.replaceField()->setText(QStringLiteral("dog"));
        QCOMPARE(bar.replaceAll(), 3);
        QCOMPARE(ed.draftText(), QStringLiteral("dog and dog and dog"));
        ed.undo();
        QCOMPARE(ed.draftText(), QStringLiteral("cat and cat and Cat"));
    }

    void countsALongDraftOffTheGuiThread() {
        QTextDocument doc;
        QString text;
        text.reserve(1'000'000);
        for (int i = 0; i < 15000; ++i) text += QStringLiteral("It was a dark and stormy night.\n");
        DocumentStatistics stats(&doc);
        QSignalSpy counted(&stats, &DocumentStatistics::countsChanged);
        doc.setPlainText(text); // 105,000 words
        QTRY_VERIFY(!counted.isEmpty() && counted.last().at(0).toLongLong() == 105000);
    }
};

QTEST_MAIN(TestWidgets)
#include "test_widgets.moc"
