#pragma once
// Importing and exporting a draft as .txt, .md or .odt. Only the draft's own
// text goes out: callers pass DraftEditor::draftText(), never the document
// the suggestion is drawn in.
#include <QString>

namespace fabula::ui {

// Writes text to path, the format chosen by the suffix (.odt via
// QTextDocumentWriter; anything else as UTF-8 plain text). Empty on success,
// else a sentence for the writer.
QString exportDraft(const QString& text, const QString& title, const QString& path);
// Reads a .txt or .md file (UTF-8). Empty on success.
QString importDraft(const QString& path, QString* title, QString* body);

} // namespace fabula::ui
