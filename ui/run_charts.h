#pragma once
// A run's two curves side by side, step on the x axis: the training loss and
// the validation perplexity. One implementation for the wizard's dashboard
// (fed live) and the Runs view (fed from a finished run's events file).
#include <QList>
#include <QPointF>
#include <QWidget>

class QChartView;
class QLineSeries;
class QValueAxis;

namespace fabula::ui {

class RunCharts : public QWidget {
    Q_OBJECT
public:
    explicit RunCharts(QWidget* parent = nullptr);

    void clear();
    // totalSteps widens the x axis to the whole run, so a live curve grows
    // towards its end instead of rescaling at every step (0: unknown).
    void addStep(qint64 step, double loss, qint64 totalSteps = 0);
    void addEval(qint64 step, double perplexity);
    // A whole run at once (x: step): one redraw rather than one per point.
    void setCurves(const QList<QPointF>& loss, const QList<QPointF>& perplexity, qint64 totalSteps = 0);

    QLineSeries* lossSeries() const { return loss_; }
    QLineSeries* perplexitySeries() const { return perplexity_; }

private:
    void widenSteps(qint64 upTo);
    void fitLoss();
    void fitPerplexity();

    QLineSeries *loss_, *perplexity_;
    QValueAxis *lossX_, *lossY_, *pplX_, *pplY_;
    qint64 maxStep_ = 1;
    double maxLoss_ = 0, minLoss_ = 0, maxPpl_ = 0, minPpl_ = 0;
};

} // namespace fabula::ui
