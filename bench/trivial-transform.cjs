// jscodeshift's cheapest useful transform: parse every file, change nothing.
module.exports = function trivial(file, api) {
  api.jscodeshift(file.source);
  return undefined;
};
