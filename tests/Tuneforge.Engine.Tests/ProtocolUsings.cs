// The stage contract (jobs, events, typed outputs) the engine writes through.
global using Tuneforge.Protocol;
