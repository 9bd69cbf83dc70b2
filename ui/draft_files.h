#pragma once
// Importing and exporting a draft as .txt, .md or .odt. Only the draft's own
// text goes out: callers pass DraftEditor::draftText(), never the document
// the suggestion is drawn in.
#include <QString>

namespace fabula {
struct StorySettings; // core/store/story_settings.h
}

namespace fabula::ui {

// Writes text to path, the format chosen by the suffix (.odt via
// QTextDocumentWriter; anything else as UTF-8 plain text). Empty on success,
// else a sentence for the writer.
QString exportDraft(const QString& text, const QString& title, const QString& path);
// Reads a .txt or .md file (UTF-8). Empty on success.
QString importDraft(const QString& path, QString* title, QString* body);

// A draft's story settings (memory, author's note, lorebook, series name)
// travel beside its exported file as "<name>.fabula-story.json".
QString storyFileFor(const QString& draftPath);
// Writes the story file beside draftPath, atomically; nothing is written for
// default settings outside a series. A file of that name that is not a
// Fabula story file (the writer's own) is left alone and named in the
// returned sentence. Empty on success.
QString exportStorySettings(const QString& draftPath, const StorySettings& settings, const QString& seriesName);
// Reads the story file beside draftPath when there is one (*found says
// whether). Empty on success, else a sentence naming the file.
QString importStorySettings(const QString& draftPath, StorySettings* settings, QString* seriesName, bool* found);

} // namespace fabula::ui
