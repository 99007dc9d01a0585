// The repository's own workflows (build/Build.Workflows.cs, compiled into this project) on the fixture targets of
// WorkflowBuilds.cs: the generator is tested on exactly what the real build declares, in the global namespace as there.
partial class Build : Tuneforge.Targets.Tests.PipelineTargets;
