//! Checking `[graph]` (a generator and its keys, or an edge list), the
//! segments and `[trust]`.

use super::*;

impl Checker<'_> {
    pub(super) fn graph(&self, scenario_path: &Path, g: &RawGraph) -> Checked<GraphSource> {
        let key = |k: &'static str| [Step::Key("graph"), Step::Key(k)];
        let given: Vec<&'static str> = [
            ("nodes", g.nodes.is_some()),
            ("edges_per_node", g.edges_per_node.is_some()),
            ("mean_degree", g.mean_degree.is_some()),
            ("neighbors", g.neighbors.is_some()),
            ("rewire", g.rewire.is_some()),
            ("communities", g.communities.is_some()),
            ("community_size", g.community_size.is_some()),
            ("mean_degree_in", g.mean_degree_in.is_some()),
            ("mean_degree_out", g.mean_degree_out.is_some()),
            ("exponent", g.exponent.is_some()),
            ("triangle_prob", g.triangle_prob.is_some()),
            ("seed", g.seed.is_some()),
            ("directed", g.directed.is_some()),
        ]
        .into_iter()
        .filter_map(|(k, present)| present.then_some(k))
        .collect();

        match (&g.generator, &g.edges) {
            (Some(_), Some(_)) => self.err(
                &key("edges"),
                "give either `generator` (a random graph) or `edges` (an edge-list file), not both",
            ),
            (None, None) => self.err(
                &[Step::Key("graph")],
                "[graph] needs `generator` (erdos-renyi, barabasi-albert, watts-strogatz, stochastic-block, powerlaw, holme-kim) or `edges` (an edge-list file)",
            ),
            (None, Some(edges)) => {
                if let Some(k) = given.iter().find(|k| **k != "directed") {
                    return self.err(
                        &key(k),
                        format!("`{k}` is a generator key; a graph read from `edges` takes only `directed`"),
                    );
                }
                let rel = Path::new(edges);
                let base = scenario_path.parent().unwrap_or(Path::new(""));
                Ok(GraphSource::EdgeList {
                    path: if rel.is_absolute() { rel.to_path_buf() } else { base.join(rel) },
                    directed: g.directed.unwrap_or(false),
                })
            }
            (Some(generator), None) => {
                let allowed: &[&str] = match generator.as_str() {
                    "erdos-renyi" => &["nodes", "mean_degree"],
                    "barabasi-albert" => &["nodes", "edges_per_node"],
                    "watts-strogatz" => &["nodes", "neighbors", "rewire"],
                    "stochastic-block" => &["communities", "community_size", "mean_degree_in", "mean_degree_out"],
                    "powerlaw" => &["nodes", "exponent", "mean_degree"],
                    "holme-kim" => &["nodes", "edges_per_node", "triangle_prob"],
                    other => {
                        return self.err(
                            &key("generator"),
                            format!("unknown generator \"{other}\": allowed erdos-renyi, barabasi-albert, watts-strogatz, stochastic-block, powerlaw, holme-kim"),
                        )
                    }
                };
                for k in &given {
                    if *k != "seed" && !allowed.contains(k) {
                        return self.err(
                            &key(k),
                            format!("`{k}` is not a key of generator {generator}; it takes {} and seed", allowed.join(", ")),
                        );
                    }
                }
                let need = |k: &'static str| -> Checked<()> {
                    if given.contains(&k) {
                        Ok(())
                    } else {
                        self.err(&[Step::Key("graph")], format!("generator {generator} needs `{k}` (it takes {} and seed)", allowed.join(", ")))
                    }
                };
                for k in allowed {
                    need(k)?;
                }
                let max = MAX_GENERATED_NODES as i64;
                let nodes = || -> Checked<u32> { Ok(self.int_in(&key("nodes"), g.nodes.unwrap_or(0), 2, max)? as u32) };
                let spec = match generator.as_str() {
                    "erdos-renyi" => {
                        let n = nodes()?;
                        let c = self.float_in(&key("mean_degree"), g.mean_degree.unwrap_or(0.0), 0.0, (n - 1) as f64, &format!("allowed 0 to nodes - 1 = {}", n - 1))?;
                        GeneratorSpec::ErdosRenyi { nodes: n, mean_degree: c }
                    }
                    "barabasi-albert" | "holme-kim" => {
                        let n = nodes()?;
                        let m = self.int_in(&key("edges_per_node"), g.edges_per_node.unwrap_or(0), 1, n as i64 - 1)? as u32;
                        if generator == "barabasi-albert" {
                            GeneratorSpec::BarabasiAlbert { nodes: n, edges_per_node: m }
                        } else {
                            let t = self.probability(&key("triangle_prob"), g.triangle_prob.unwrap_or(0.0))?;
                            GeneratorSpec::HolmeKim { nodes: n, edges_per_node: m, triangle_prob: t }
                        }
                    }
                    "watts-strogatz" => {
                        let n = nodes()?;
                        let k = self.int_in(&key("neighbors"), g.neighbors.unwrap_or(0), 2, n as i64 - 1)?;
                        if k % 2 != 0 {
                            return self.err(&key("neighbors"), format!("{k} must be even: each person links to neighbors/2 people on each side of the ring"));
                        }
                        let r = self.probability(&key("rewire"), g.rewire.unwrap_or(0.0))?;
                        GeneratorSpec::WattsStrogatz { nodes: n, neighbors: k as u32, rewire: r }
                    }
                    "stochastic-block" => {
                        let b = self.int_in(&key("communities"), g.communities.unwrap_or(0), 1, max / 2)?;
                        let s = self.int_in(&key("community_size"), g.community_size.unwrap_or(0), 2, max / b)?;
                        let din = self.float_in(&key("mean_degree_in"), g.mean_degree_in.unwrap_or(0.0), 0.0, (s - 1) as f64, &format!("allowed 0 to community_size - 1 = {}", s - 1))?;
                        let out_max = ((b - 1) * s) as f64;
                        let dout = self.float_in(&key("mean_degree_out"), g.mean_degree_out.unwrap_or(0.0), 0.0, out_max, &format!("allowed 0 to (communities - 1) * community_size = {out_max}"))?;
                        GeneratorSpec::StochasticBlock { communities: b as u32, community_size: s as u32, mean_degree_in: din, mean_degree_out: dout }
                    }
                    "powerlaw" => {
                        let n = nodes()?;
                        let e = self.float_in(&key("exponent"), g.exponent.unwrap_or(0.0), 2.01, 10.0, "allowed 2.01 to 10 (real social networks: 2.1 to 3.5)")?;
                        let c = self.float_in(&key("mean_degree"), g.mean_degree.unwrap_or(0.0), 0.01, (n as f64 - 1.0).sqrt(), &format!("allowed 0.01 to sqrt(nodes - 1) = {:.1}", (n as f64 - 1.0).sqrt()))?;
                        GeneratorSpec::Powerlaw { nodes: n, exponent: e, mean_degree: c }
                    }
                    _ => unreachable!("generator names are matched above"),
                };
                let seed = match g.seed {
                    Some(s) => self.seed(&key("seed"), s)?,
                    None => 1,
                };
                Ok(GraphSource::Generated { spec, seed })
            }
        }
    }

    /// `[graph] segments`: a file path, relative to the scenario's folder.
    pub(super) fn segment_file(
        &self,
        scenario_path: &Path,
        g: &RawGraph,
        source: &GraphSource,
    ) -> Checked<Option<PathBuf>> {
        let Some(f) = &g.segments else {
            return Ok(None);
        };
        let key = [Step::Key("graph"), Step::Key("segments")];
        if source.plants_segments() {
            return self.err(
                &key,
                "generator stochastic-block already gives everyone a segment (their community, named 0, 1, ...); drop `segments` or use another generator",
            );
        }
        if f.trim().is_empty() {
            return self.err(
                &key,
                "`segments` is empty: name a file of `id segment` lines",
            );
        }
        let rel = Path::new(f);
        let base = scenario_path.parent().unwrap_or(Path::new(""));
        Ok(Some(if rel.is_absolute() {
            rel.to_path_buf()
        } else {
            base.join(rel)
        }))
    }

    /// `[graph] people`: a file path, relative to the scenario's folder.
    pub(super) fn people_file(
        &self,
        scenario_path: &Path,
        g: &RawGraph,
    ) -> Checked<Option<PathBuf>> {
        let Some(f) = &g.people else {
            return Ok(None);
        };
        if f.trim().is_empty() {
            return self.err(
                &[Step::Key("graph"), Step::Key("people")],
                "`people` is empty: name a file with a header row `id,segment,cost`",
            );
        }
        let rel = Path::new(f);
        let base = scenario_path.parent().unwrap_or(Path::new(""));
        Ok(Some(if rel.is_absolute() {
            rel.to_path_buf()
        } else {
            base.join(rel)
        }))
    }

    /// A list of segment names at `path`: not empty, no repeats, and only
    /// on a graph with segments. Whether the names exist is checked once
    /// the graph is built.
    pub(super) fn segment_names(
        &self,
        path: &[Step],
        names: &[SegmentName],
        has_segments: bool,
    ) -> Checked<Vec<String>> {
        if !has_segments {
            return self.err(path, NO_SEGMENTS);
        }
        if names.is_empty() {
            return self.err(path, "the list is empty: name at least one segment");
        }
        let mut out: Vec<String> = Vec::with_capacity(names.len());
        for (j, SegmentName(name)) in names.iter().enumerate() {
            let mut at = path.to_vec();
            at.push(Step::Index(j));
            if let Some(k) = out.iter().position(|o| o == name) {
                return self.err(
                    &at,
                    format!("segment \"{name}\" is listed twice (also at position {k})"),
                );
            }
            out.push(name.clone());
        }
        Ok(out)
    }

    pub(super) fn trust(
        &self,
        t: &RawTrust,
        has_segments: bool,
    ) -> Checked<(TrustSpec, Option<SegmentTrust>)> {
        let key = |k: &'static str| [Step::Key("trust"), Step::Key(k)];
        let segment_trust = if t.same_segment.is_some() || t.other_segment.is_some() {
            let which = if t.same_segment.is_some() {
                "same_segment"
            } else {
                "other_segment"
            };
            if !has_segments {
                return self.err(&key(which), NO_SEGMENTS);
            }
            let factor = |k: &'static str, v: Option<f64>| -> Checked<f64> {
                match v {
                    Some(f) => self.float_in(
                        &key(k),
                        f,
                        0.0,
                        f64::MAX,
                        "a trust factor is a number, 0 or more (1 changes nothing)",
                    ),
                    None => Ok(1.0),
                }
            };
            Some(SegmentTrust {
                same_segment: factor("same_segment", t.same_segment)?,
                other_segment: factor("other_segment", t.other_segment)?,
            })
        } else {
            None
        };
        Ok((self.trust_distribution(t)?, segment_trust))
    }

    pub(super) fn trust_distribution(&self, t: &RawTrust) -> Checked<TrustSpec> {
        let key = |k: &'static str| [Step::Key("trust"), Step::Key(k)];
        let Some(distribution) = &t.distribution else {
            // Only segment factors: they scale a trust of 1.
            let given = [
                ("value", t.value),
                ("low", t.low),
                ("high", t.high),
                ("alpha", t.alpha),
                ("beta", t.beta),
            ];
            if let Some((k, _)) = given.iter().find(|(_, v)| v.is_some()) {
                return self.err(
                    &key(k),
                    format!("`{k}` needs `distribution` (constant, uniform or beta)"),
                );
            }
            return Ok(TrustSpec::Constant { value: 1.0 });
        };
        let given = [
            ("value", t.value),
            ("low", t.low),
            ("high", t.high),
            ("alpha", t.alpha),
            ("beta", t.beta),
        ];
        let allowed: &[&str] = match distribution.as_str() {
            "constant" => &["value"],
            "uniform" => &["low", "high"],
            "beta" => &["alpha", "beta"],
            other => {
                return self.err(
                    &key("distribution"),
                    format!("unknown trust distribution \"{other}\": allowed constant (value), uniform (low, high), beta (alpha, beta)"),
                )
            }
        };
        for (k, v) in given {
            if v.is_some() && !allowed.contains(&k) {
                return self.err(
                    &key(k),
                    format!(
                        "`{k}` is not a key of trust distribution {}; it takes {}",
                        distribution,
                        allowed.join(", ")
                    ),
                );
            }
            if v.is_none() && allowed.contains(&k) {
                return self.err(
                    &[Step::Key("trust")],
                    format!("trust distribution {distribution} needs `{k}`"),
                );
            }
        }
        Ok(match distribution.as_str() {
            "constant" => TrustSpec::Constant {
                value: self.probability(&key("value"), t.value.unwrap_or(0.0))?,
            },
            "uniform" => {
                let low = self.probability(&key("low"), t.low.unwrap_or(0.0))?;
                let high = self.probability(&key("high"), t.high.unwrap_or(0.0))?;
                if high < low {
                    return self.err(&key("high"), format!("high {high} is below low {low}"));
                }
                TrustSpec::Uniform { low, high }
            }
            _ => {
                let what = "alpha and beta must be positive and at most 1e6";
                let alpha = self.float_in(
                    &key("alpha"),
                    t.alpha.unwrap_or(0.0),
                    f64::MIN_POSITIVE,
                    1e6,
                    what,
                )?;
                let beta = self.float_in(
                    &key("beta"),
                    t.beta.unwrap_or(0.0),
                    f64::MIN_POSITIVE,
                    1e6,
                    what,
                )?;
                TrustSpec::Beta { alpha, beta }
            }
        })
    }
}
