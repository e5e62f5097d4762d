// CSS imports in components tested under jsdom: nothing to apply.
module.exports = {};
