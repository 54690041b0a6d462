// Help: the two stages in plain words, with the formulas the panels show, and the keyboard shortcuts.
#include "studio_ui.h"

namespace studio {
namespace {
// ImGui's BulletText does not wrap: a bullet, then wrapped text (lines used to run off the window's right edge).
void bullet(const char* text) {
  ImGui::Bullet();
  text_wrapped_words("%s", text);
}
}  // namespace

void panel_help(UiContext& ui) {
  const ImVec2 d = ImGui::GetIO().DisplaySize;
  keep_inside_display(ImVec2(d.x * 0.2f, d.y * 0.12f), ImVec2(d.x * 0.6f, d.y * 0.7f));
  if (!ImGui::Begin("Help: how U-Hop works", &ui.show_help)) {
    ImGui::End();
    return;
  }
  clamp_window_to_display();
  ui.record_rect("panel.help", ImGui::GetWindowPos(), ImGui::GetWindowSize());
  ImGui::PushTextWrapPos(0);
  text_wrapped_words("U-Hop retrieves a stored memory ξ_μ from a corrupted query x in two stages.");
  ImGui::Separator();
  ImGui::TextUnformatted("Stage I: learn a kernel feature map.");
  bullet("Φ(u) = W u with W in R^{D x d}, D ≥ d; the kernel is K(u, v) = <W u, W v>.");
  bullet(
      "W is trained to spread the memories apart on the unit sphere: with f_mu = W ξ_μ / ‖W ξ_μ‖, "
      "the separation loss L = log(2/(M(M-1)) sum_{mu<nu} exp(-t ‖f_mu - f_nu‖^2)) is minimized by "
      "W_{i+1} = W_i - gamma_i dL/dW.");
  bullet(
      "Watch Δ^Φ_mu = K(ξ_μ, ξ_μ) - max_{ν ≠ μ} K(ξ_μ, ξ_ν) (how much each memory "
      "stands out) and R_Φ = 1/2 min ‖W ξ_μ - W ξ_ν‖ grow; the heatmap's off-diagonal fades.");
  ImGui::TextUnformatted("Stage II: retrieve with the learned kernel.");
  bullet(
      "x_{t+1} = T(x_t) = Xi^T Sep_α(beta s(x_t)), s_nu(x) = K(ξ_ν, x). With W = I this is the "
      "plain modern Hopfield network (MHM), shown in Compare.");
  bullet(
      "Sep_α is softmax (alpha = 1), 1.5-entmax, or sparsemax (alpha = 2); alpha > 1 can put all "
      "weight on one memory: exact retrieval.");
  bullet("The energy E(x) = 1/2 K(x,x) - (1/beta) Ψ*_α(beta k(x)) never rises along the steps.");
  bullet(
      "Lemma 1: inside the sphere ‖W x - W ξ_μ‖ ≤ R_Φ, the error after a step is at most "
      "2m(M-1) exp(-beta (Δ^Φ_mu - 2 m_Φ R_Φ)): a worst case over the whole sphere, vacuous (≥ 2m) until "
      "that margin passes ln(M-1)/beta, which on real images it often never does.");
  bullet(
      "What decides one query is its own margin: the target's score minus the best rival's at x_t (pixels for MHM, "
      "feature space for U-Hop). At or above ln(M-1)/beta the target's weight is at least 1/2; below 0 a rival "
      "wins. Compare and the margin view (View menu) show it live.");
  ImGui::TextUnformatted("When does Stage I help?");
  ImGui::TextUnformatted(
      "Only when it moves W. From W_0 = I with lr 0.1 it moves W by several percent (w_change in the stage1 log) and "
      "separates the memories: on Fashion-MNIST (M = 100, noise 0.1) U-Hop's paper error is 2.7 against MHM's 151. "
      "From the authors' W_0 ~ N(0,1) the kernel scores are about 784 x the dot products and the scale-free loss "
      "barely moves W (w_change 2e-4 with their lr 1 and lr/sqrt(i!) schedule), so U-Hop retrieves what MHM "
      "retrieves. See Presets > gaussian-w0-stage1-barely-moves-w and identity-w0-stage1-separates, and the Sweep "
      "panel's authors-* presets.");
  ImGui::TextUnformatted("Capacity (View > Capacity lab): how many memories fit?");
  bullet(
      "hebbian: binary patterns, J = (1/N) sum xi xi^T, sign updates, P = alpha N (theory 0.138, AGS); polynomial: "
      "energy -sum (xi.x)^n, P = alpha N^(n-1) (Krotov-Hopfield); exponential: x <- Xi softmax(beta Xi^T x), "
      "P = exp(alpha N), patterns generated on the fly (theory alpha_1(beta), docs/capacity.md).");
  bullet(
      "Retrieved: from the pattern (or a point at overlap rho with it) the final overlap xi_t.x_T / xi_t.xi_t is "
      "at least 0.95. The theory is asymptotic in N: at N = 16 the measured fall is smooth around it.");
  bullet(
      "Try the preset (exponential threshold), then the phase diagram, the basin (rho_c) and the three laws: "
      "capacity from linear to polynomial to exponential.");
  ImGui::Separator();
  text_wrapped_words(
      "Try: Story (menu) plays the case where MHM fails and U-Hop succeeds; Tour steps through it. Or load Glyphs, "
      "click a memory, corrupt it strongly, press Step in Stage II and compare MHM with U-Hop; then press Space to "
      "train W and step again.");
  text_wrapped_words(
      "Keys: Space play/pause Stage I, N one Stage I step, R reset Stage I (Stage II follows W_0), F5 presentation "
      "layout, Right/Left (Page Down/Up) next/back in the tour, Esc end the story, F12 screenshot "
      "(uhop-studio-NNN.png), F1 this window. Hover any control or curve for its formula.");
  text_wrapped_words(
      "Scripts: uhop-studio --script FILE runs commands like 'load builtin:glyphs count=20', "
      "'target 3', 'corrupt gaussian:0.3 seed=1', 'stage1 steps=20', 'set beta=4', 'wait', "
      "'screenshot out.png' (see app/studio_commands.h).");
  ImGui::PopTextWrapPos();
  ImGui::End();
}
}  // namespace studio
