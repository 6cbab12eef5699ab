use super::*;

#[test]
fn the_next_batch_aims_at_the_target_within_bounds() {
    // 1.5 times too wide: 128 x 1.5^2 x 1.1 = 316.8, to whole blocks.
    assert_eq!(next_auto_runs(128, 1.5, 100_000), 320);
    // Twice too wide wants 563 runs: growth stops at 4x.
    assert_eq!(next_auto_runs(128, 2.0, 100_000), 512);
    assert_eq!(next_auto_runs(128, f64::INFINITY, 100_000), 512);
    // Barely too wide: the smallest batch.
    assert_eq!(next_auto_runs(128, 1.0001, 100_000), 128 + AUTO_MIN_BATCH);
    // 40 x 1.2^2 x 1.1 = 63.4 is below 40 + 64, rounded up to blocks.
    assert_eq!(next_auto_runs(40, 1.2, 1000), 112);
    // The cap wins over whole blocks.
    assert_eq!(next_auto_runs(128, 1.5, 300), 300);
    assert_eq!(next_auto_runs(128, 1.5, 130), 130);
}
