/* search: see issue 5 */
