//! deploy/: the SLURM array script and the Kubernetes Indexed Job, run
//! here as far as one machine allows: their command lines run locally with
//! the variables the schedulers set, and the merged outputs equal one
//! unsharded run's.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;

fn binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_viralsim"))
}

/// Run `cmd`, which must succeed.
fn succeed(cmd: &mut Command) {
    let output = cmd.output().unwrap();
    assert!(
        output.status.success(),
        "{cmd:?}: {}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// The outputs of `a` and `b` (two output folders of scenario `name`)
/// agree byte for byte on every file but the timings.
fn assert_same(a: &Path, b: &Path) {
    for file in ["summary.json", "curves.csv", "strategies.csv", "seeds.csv"] {
        assert!(
            fs::read(a.join(file)).unwrap() == fs::read(b.join(file)).unwrap(),
            "{file}"
        );
    }
}

/// `bash -n`: the script parses.
fn parses(script: &Path) {
    succeed(Command::new("bash").arg("-n").arg(script));
}

#[test]
fn slurm_array_and_merge_scripts_run_as_the_scheduler_would() {
    let slurm = root().join("deploy/slurm");
    let array = slurm.join("viralsim-array.sbatch");
    let merge = slurm.join("viralsim-merge.sbatch");
    for script in [&array, &merge, &slurm.join("submit.sh")] {
        parses(script);
    }
    let text = fs::read_to_string(&array).unwrap();
    assert!(text.contains("#SBATCH --array=1-"), "{text}");
    assert!(text.contains("--shard auto"), "{text}");

    let dir = tempfile::tempdir().unwrap();
    let scenario = write(
        dir.path(),
        "launch.toml",
        &small_scenario(Some("launch"), ""),
    );
    let full = dir.path().join("full");
    let (code, err) = run_into(&scenario, &full, &["--runs", "90"]);
    assert_eq!(code, Some(0), "{err}");
    let shards = dir.path().join("shards");
    let n = 3;
    // `sbatch --array=1-3`: tasks in any order, as the scheduler starts them.
    for k in [2, 3, 1] {
        succeed(
            Command::new("bash")
                .arg(&array)
                .arg(&scenario)
                .arg("90")
                .arg(&shards)
                .env("VIRALSIM", binary())
                .env("SLURM_ARRAY_TASK_ID", k.to_string())
                .env("SLURM_ARRAY_TASK_MIN", "1")
                .env("SLURM_ARRAY_TASK_COUNT", n.to_string())
                .env("SLURM_CPUS_PER_TASK", "2")
                .current_dir(dir.path()),
        );
        assert!(shards
            .join(format!("launch.shard-{k}-of-{n}/shard.json"))
            .exists());
    }
    let results = dir.path().join("results");
    succeed(
        Command::new("bash")
            .arg(&merge)
            .arg(&scenario)
            .arg(&shards)
            .arg(&results)
            .env("VIRALSIM", binary())
            .env("SLURM_CPUS_PER_TASK", "2")
            .current_dir(dir.path()),
    );
    assert_same(&full.join("launch"), &results.join("launch"));
}

/// A YAML mapping's value at `key`.
fn at<'a>(v: &'a serde_yaml::Value, key: &str) -> &'a serde_yaml::Value {
    v.get(key).unwrap_or_else(|| panic!("no `{key}` in {v:?}"))
}

/// A container's `sh -c` script and its environment.
fn script_of(job: &serde_yaml::Value) -> (String, Vec<(String, String)>) {
    let container = &at(at(at(at(job, "spec"), "template"), "spec"), "containers")[0];
    let command: Vec<&str> = at(container, "command")
        .as_sequence()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    assert_eq!(&command[..2], ["/bin/sh", "-c"]);
    let env = at(container, "env")
        .as_sequence()
        .unwrap()
        .iter()
        .map(|e| {
            (
                at(e, "name").as_str().unwrap().to_string(),
                at(e, "value").as_str().unwrap().to_string(),
            )
        })
        .collect();
    (command[2].to_string(), env)
}

#[test]
fn kubernetes_indexed_job_and_merge_run_as_the_cluster_would() {
    let text = fs::read_to_string(root().join("deploy/kubernetes/indexed-job.yaml")).unwrap();
    let docs: Vec<serde_yaml::Value> = serde_yaml::Deserializer::from_str(&text)
        .map(|d| serde::Deserialize::deserialize(d).unwrap())
        .collect();
    let kinds: Vec<&str> = docs
        .iter()
        .map(|d| at(d, "kind").as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["PersistentVolumeClaim", "Job", "Job"]);
    let (shards_job, merge_job) = (&docs[1], &docs[2]);
    let spec = at(shards_job, "spec");
    assert_eq!(at(spec, "completionMode").as_str(), Some("Indexed"));
    let completions = at(spec, "completions").as_u64().unwrap();
    assert_eq!(at(spec, "parallelism").as_u64(), Some(completions));
    // Both jobs mount the claim the file declares.
    let claim = at(at(&docs[0], "metadata"), "name").as_str().unwrap();
    for job in [shards_job, merge_job] {
        let volumes = at(at(at(at(job, "spec"), "template"), "spec"), "volumes");
        let name = at(at(&volumes[0], "persistentVolumeClaim"), "claimName");
        assert_eq!(name.as_str(), Some(claim));
    }

    let (shard_script, shard_env) = script_of(shards_job);
    assert!(
        shard_script.contains(&format!("--shards {completions}")),
        "{shard_script}"
    );
    let (merge_script, merge_env) = script_of(merge_job);
    assert!(merge_env.contains(&("SHARDS".into(), completions.to_string())));

    // The volume, here: the scenario at $DATA/scenario.toml.
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    fs::create_dir(&data).unwrap();
    let scenario = write(&data, "scenario.toml", &small_scenario(Some("launch"), ""));
    let runs = shard_script
        .split("--runs ")
        .nth(1)
        .and_then(|r| r.split_whitespace().next())
        .unwrap()
        .to_string();
    let full = dir.path().join("full");
    let (code, err) = run_into(&scenario, &full, &["--runs", &runs]);
    assert_eq!(code, Some(0), "{err}");
    let path = format!(
        "{}:{}",
        binary().parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let local = |cmd: &mut Command, env: &[(String, String)]| {
        for (k, v) in env {
            cmd.env(k, v);
        }
        cmd.env("DATA", &data).env("PATH", &path);
    };
    // Pods in any order, each with its JOB_COMPLETION_INDEX.
    for index in (0..completions).rev() {
        let mut cmd = Command::new("/bin/sh");
        cmd.arg("-c").arg(&shard_script);
        local(&mut cmd, &shard_env);
        cmd.env("JOB_COMPLETION_INDEX", index.to_string())
            .env_remove("SLURM_ARRAY_TASK_ID");
        succeed(&mut cmd);
    }
    let mut cmd = Command::new("/bin/sh");
    cmd.arg("-c").arg(&merge_script);
    local(&mut cmd, &merge_env);
    succeed(&mut cmd);
    assert_same(&full.join("launch"), &data.join("output/launch"));
}
