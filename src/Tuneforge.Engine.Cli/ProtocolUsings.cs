// The stage contract (jobs, events, typed outputs) is torch-free, so the build reads it without libtorch.
global using Tuneforge.Protocol;
