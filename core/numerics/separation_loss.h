// Stage I: the separation loss on normalized features f_mu = W xi_mu / ||W xi_mu|| and its gradient in W
// (reference math section 2), learning-rate schedules, and the update.
#pragma once
#include <string>

#include "feature_geometry.h"
#include "linalg_types.h"

namespace uhop {
enum class LossKind { avg, max };
enum class Schedule { constant, inv_sqrt, reference };
enum class Optimizer { sgd, adam };

LossKind parse_loss_kind(const std::string& s);   // "avg" | "max"
Schedule parse_schedule(const std::string& s);    // "constant" | "inv-sqrt" | "reference"
Optimizer parse_optimizer(const std::string& s);  // "sgd" | "adam"
const char* to_string(LossKind k);
const char* to_string(Schedule s);
const char* to_string(Optimizer o);

struct LossValue {
  double loss = 0;
  // Symmetric pair weights P (n x n, zero diagonal) with dL/df_mu = -2t sum_nu P_mu,nu (f_mu - f_nu):
  // avg: P = softmax weight of each pair mu<nu (mirrored); max: 1 at the first maximizing pair only.
  Matrix pair_weights;
  int max_mu = 0, max_nu = 1;  // the closest pair (argmax of -t ||f_mu - f_nu||^2), mu < nu
};

// Loss over the first n memories (n = train_count, or all when 0); needs n >= 2 (throws InputError).
// avg: L = log( 2/(n(n-1)) sum_{mu<nu} exp(-t ||f_mu - f_nu||^2) );  max: L = max_{mu<nu} -t ||f_mu - f_nu||^2.
LossValue separation_loss(const FeatureGeometry& g, double t, LossKind kind, int train_count = 0);
// The same into out, reusing its buffers.
void update_separation_loss(LossValue& out, const FeatureGeometry& g, double t, LossKind kind, int train_count = 0);

// dL/dW = sum_mu (I - f_mu f_mu^T) g_mu / ||z_mu|| xi_mu^T, g_mu = dL/df_mu (D x d).
Matrix separation_loss_gradient(const FeatureGeometry& g, const LossValue& value, const Matrix& memories, double t,
                                LossKind kind);

// Buffers a training loop keeps between steps so the gradient allocates nothing.
struct GradientWorkspace {
  Matrix unit_features;  // F (n x D)
  Matrix feature_grad;   // P F, then dL/dZ (n x D)
  Vector row_dots, inv_norm;
};
void separation_loss_gradient(Matrix& grad, GradientWorkspace& work, const FeatureGeometry& g, const LossValue& value,
                              const Matrix& memories, double t, LossKind kind);

// gamma_i for step i (0-based): constant gamma; inv-sqrt gamma/sqrt(i+1); reference gamma_0 = gamma,
// gamma_{i+1} = gamma_i / sqrt(i+1), i.e. gamma / sqrt(i!).
double learning_rate(Schedule schedule, double gamma, int i);

struct AdamState {
  Matrix m, v;  // first and second moment estimates
  int steps = 0;
};
// W <- W - gamma_i dL/dW (sgd), or the Adam update with step size gamma_i (beta1 .9, beta2 .999, eps 1e-8).
void apply_update(Matrix& w, const Matrix& grad, double gamma_i, Optimizer optimizer, AdamState& adam);
}  // namespace uhop
