## The design system: header, navigation, lists, paging, empty states, the style guide.
