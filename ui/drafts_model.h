#pragma once
// The writer's drafts as a list model over the store, newest change first.
// Every query and change runs on the store thread; the model resets when the
// answer arrives, so the view never touches SQLite.
#include <QAbstractListModel>
#include <QDateTime>

#include <functional>

namespace fabula::ui {

class StoreClient;

class DraftsModel : public QAbstractListModel {
    Q_OBJECT
public:
    enum Role { IdRole = Qt::UserRole + 1, TitleRole, WordCountRole, UpdatedRole };

    explicit DraftsModel(StoreClient* store, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    qint64 idAt(int row) const;
    int rowOf(qint64 id) const;
    QString search() const { return search_; }

public Q_SLOTS:
    void setSearch(const QString& text);
    void refresh();

public:
    // Library changes; done runs on the GUI thread once stored and refreshed.
    void createDraft(const QString& title, const QString& body, std::function<void(qint64)> done = {});
    void renameDraft(qint64 id, const QString& title);
    void duplicateDraft(qint64 id, std::function<void(qint64)> done = {});
    void trashDraft(qint64 id);
    void restoreDraft(qint64 id);

Q_SIGNALS:
    void refreshed();
    void draftTrashed(qint64 id, const QString& title);

private:
    struct Row {
        qint64 id;
        QString title;
        qint64 words;
        QDateTime updated;
    };
    StoreClient* store_;
    QString search_;
    QList<Row> rows_;
    quint64 query_ = 0; // only the newest answer is shown
};

} // namespace fabula::ui
