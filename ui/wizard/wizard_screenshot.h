#pragma once
// `fabula --screenshot FILE --view wizard-stories|wizard-settings|wizard-dashboard|wizard-result`:
// drives the wizard to that page with real content it makes in a temporary
// folder (a tiny GPT-2 with a byte vocabulary written here, a few generated
// stories, fabula-cli runs of a few steps), so it needs neither the shared
// data nor the network.
#include <QString>
#include <QStringList>

namespace fabula::ui {

QStringList wizardScreenshotViews();
// False, with the reason on stderr, when a step fails or takes too long.
bool renderWizardScreenshot(const QString& view, const QString& file);

} // namespace fabula::ui
