"""What several rules read of a Dockerfile, kept apart from the rules themselves: no module
here declares a RULE, and the registry (fixer.rules.rules_in) does not look here.

- images: base images, their references and families;
- stages: stage chains, the instruction in effect, working directories, variables, where
  runtime settings go, whether a later step reads what an earlier one left;
- filesystem: volumes, the directories RUN steps make, paths a RUN takes as written;
- users: what a USER names;
- gobuild: the Go builds of a Dockerfile (`go build`, `go install`) and their outputs;
- gomodule: which go.mod a go command reads (WORKDIR, `cd`, `pushd`, `-C`);
- runtime_program: the program the final stage runs, and the Go package it is built from;
- shipped: which stages and builds reach a shipped image, and which Dockerfiles ship none.
"""
