// answers.js: shows the exercises' folded answers.
//
// tools/fold-answers folds the body of each function an exercise leaves to
// write into a closed <details class="answer">. It keeps the body as the
// text of a <script type="text/x-answer">, which no browser runs and which
// mdBook leaves out of its search index: as a code block, every answer
// would be in the index word for word, and the search box would show it.
// Here, once the page has loaded, each such script becomes the code block
// it stands for, inside its fold, highlighted as mdBook highlights the
// others, and out of sight until the fold is opened.

'use strict';

function showFoldedAnswers() {
  for (const source of document.querySelectorAll('details.answer > script[type="text/x-answer"]')) {
    const code = document.createElement('code');
    code.className = `language-${source.dataset.language || 'rust'}`;
    // The text between the tags, without the line breaks right after the
    // opening tag and right before the closing one.
    code.textContent = source.textContent.replace(/^\n/, '').replace(/\n$/, '');
    const pre = document.createElement('pre');
    pre.appendChild(code);
    source.replaceWith(pre);
    if (window.hljs) {
      window.hljs.highlightBlock(code);
    }
  }
}

if (document.readyState === 'loading') {
  document.addEventListener('DOMContentLoaded', showFoldedAnswers);
} else {
  showFoldedAnswers();
}
