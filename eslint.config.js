// eslint's flat config for the page's JavaScript (mapapp/static) and its node tests.
import js from "@eslint/js";
import globals from "globals";

export default [
  { ignores: ["bench/node_modules/**", "node_modules/**"] },
  js.configs.recommended,
  {
    // The page's modules: ES modules in the browser, Leaflet as the global L; the bench's
    // reference pages are held to the same rules.
    files: ["mapapp/static/**/*.js", "bench/pages/**/*.js"],
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: "module",
      globals: { ...globals.browser, L: "readonly" },
    },
    rules: {
      "no-unused-vars": ["error", { args: "none" }],
      eqeqeq: "error",
      "no-var": "error",
      "prefer-const": "error",
    },
  },
  {
    // Classic scripts: Folium's inline script calls them before any module runs;
    // static-site.js rewrites the page config before that script reads it.
    files: ["mapapp/static/mapapp.js", "mapapp/static/renderer*.js", "mapapp/static/share.js",
            "mapapp/static/updates.js", "mapapp/static/static-site.js"],
    languageOptions: { sourceType: "script" },
    rules: { "no-var": "off", "prefer-const": "off", "no-unused-vars": ["error", { args: "none", caughtErrors: "none" }] },
  },
  {
    files: ["tests/js/**/*.mjs", "eslint.config.js"],
    languageOptions: { ecmaVersion: 2022, sourceType: "module", globals: globals.node },
  },
];
