#pragma once
// Help ▸ About: the version (the CMake project's, one place) and the
// licenses of what Fabula bundles or links.
#include <QDialog>

namespace fabula::ui {

class AboutDialog : public QDialog {
    Q_OBJECT
public:
    explicit AboutDialog(QWidget* parent = nullptr);
    // The text shown, for tests: the version line and one line per component.
    QString componentsText() const;

private:
    QString components_;
};

} // namespace fabula::ui
