"""What several rules read of a Dockerfile, kept apart from the rules themselves: no module
here declares a RULE, and the registry (fixer.rules.rules_in) does not look here.

- images: stages and their chains, base images and their families, users, volumes, the
  directories a stage makes;
- gobuild: the Go builds of a Dockerfile (`go build`, `go install`) and their outputs;
- gomodule: which go.mod a go command reads (WORKDIR, `cd`, `pushd`, `-C`);
- runtime_program: the program the final stage runs, and the Go package it is built from;
- shipped: which stages and builds reach a shipped image, and which Dockerfiles ship none.
"""
