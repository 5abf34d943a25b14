#!/usr/bin/env node
// The built CLI; `npm install` builds dist/ through the prepare script.
import "../dist/cli/run.js";
