#!/usr/bin/env node
// The `argentum-server` command. It lives outside dist/ so the bin exists as soon as the package is
// installed (a workspace install links bins before anything is built); the CLI itself is built code.
import '../dist/cli/main.js';
