// The controls page on its own: mount the controls into #controls.
import { mountControls } from "/static/supervise/controls.js";

const root = document.getElementById("controls");
mountControls(root, root.dataset.slug, { lang: root.dataset.lang }).then(() => {
  document.body.dataset.ready = "true";
});
