// The asymptotic capacity laws the capacity lab draws beside its measurements (derivations in docs/capacity.md).
//
// Exponential model, random-energy-model signal-to-noise argument: a random pattern's overlap q = xi.x / N with a
// fixed x of squared norm N has density ~ exp(-N I(q)); among P = exp(alpha N) patterns those at overlap q number
// exp(N (alpha - I(q))), so (1/N) ln sum_{mu != t} exp(beta xi_mu.x) -> phi(alpha, beta) = max over q with
// I(q) <= alpha of [alpha - I(q) + beta q]. The target at start overlap rho contributes exp(beta N rho): it wins when
// beta rho > phi. Non-condensed (the sum is a bulk of many terms): alpha >= I(q_s), q_s = argmax beta q - I(q);
// condensed (the largest few terms rule): alpha < I(q_s), phi = beta q_max with I(q_max) = alpha.
#pragma once
#include "pattern_stream.h"

namespace uhop {
// I(q): spherical -ln(1 - q^2)/2; gaussian q^2/2; binary (1+q)/2 ln(1+q) + (1-q)/2 ln(1-q).
double overlap_rate(PatternEnsemble e, double q);
// q_s solving I'(q) = beta: spherical (sqrt(1 + 4 beta^2) - 1) / (2 beta); gaussian beta; binary tanh(beta).
double saddle_overlap(PatternEnsemble e, double beta);
// q_max with I(q_max) = alpha: spherical sqrt(1 - exp(-2 alpha)); gaussian sqrt(2 alpha); binary by bisection
// (1 when alpha >= ln 2: then duplicates are typical).
double max_overlap(PatternEnsemble e, double alpha);
bool noise_condensed(PatternEnsemble e, double alpha, double beta);  // alpha < I(q_s)
// phi(alpha, beta) = lim (1/N) ln sum_{mu != t} exp(beta xi_mu.x): alpha + beta q_s - I(q_s), or beta q_max.
double noise_free_entropy(PatternEnsemble e, double alpha, double beta);
// Critical start overlap rho_c = phi(alpha, beta) / beta: from rho > rho_c the first step lands on the target.
// Above 1: no basin (the target is not retrieved even from itself).
double critical_start_overlap(PatternEnsemble e, double alpha, double beta);
// The load at which rho_c = rho: beta (rho - q_s) + I(q_s) when rho >= q_s, else I(rho). alpha_1 = rho 1.
double exponential_threshold(PatternEnsemble e, double beta, double rho = 1.0);

// Amit-Gutfreund-Sompolinsky: the zero-temperature retrieval state (overlap ~0.967) exists up to alpha_c ~ 0.138.
constexpr double kHebbianAlphaC = 0.138;
// Krotov & Hopfield (2016), F(z) = z^n, error-free recall of every bit with high probability:
// P_max ~ N^(n-1) / (2 (2n-3)!! ln N), i.e. alpha = P / N^(n-1) up to 1 / (2 (2n-3)!! ln N).
double polynomial_alpha_max(int degree, int n);
double double_factorial(int k);  // k!! (1 for k <= 0)

// Finite-N target weight at start overlap 1 (docs/capacity.md "Finite N"): annealed sum Z = (P - 1) M1 with
// M1 = E exp(beta (xi.xi_t - xi_t.xi_t)) computed exactly at this N (spherical: 1-D quadrature over the overlap's
// density (1-q^2)^((N-3)/2); gaussian: averaged over |xi_t|^2 ~ chi^2_N; binary: ((1 + e^{-2 beta}) / 2)^N),
// and its spread cv^2 = (M2 / M1^2) / (P - 1). Valid in the non-condensed regime.
struct WeightCrossing {
  double lo = 0, mid = 0, hi = 0;  // alpha where the predicted mean weight is 1/2 with ln Z shifted by +2s, 0, -2s
};
// Mean target weight 1/(1+Z) at load alpha, with ln Z shifted by `shift_sd` lognormal standard deviations.
double finite_n_target_weight(PatternEnsemble e, int n, double alpha, double beta, double shift_sd = 0);
WeightCrossing finite_n_weight_crossing(PatternEnsemble e, int n, double beta);
// ln E exp(k beta N (q - 1)) over the exact finite-N law of the overlap q of two independent spherical patterns.
double spherical_log_moment(int n, double beta, int k);
}  // namespace uhop
